/**
 * The contracts every {@link io.celeriac.limit.Limiters} backend passes.
 */
@NullMarked
package io.celeriac.test.limit;

import org.jspecify.annotations.NullMarked;
