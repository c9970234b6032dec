/**
 * The contract of a {@link io.celeriac.debounce.Debouncer}, which every debouncer's test
 * extends.
 */
@NullMarked
package io.celeriac.test.debounce;

import org.jspecify.annotations.NullMarked;
