/**
 * What Celeriac's method interceptors share: the settings an annotation gives a method,
 * found once per method, and SpEL key expressions over a call.
 */
@NullMarked
package io.celeriac.aop;

import org.jspecify.annotations.NullMarked;
