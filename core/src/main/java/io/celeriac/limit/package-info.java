/**
 * Limiters: at most N holders at once ({@link io.celeriac.limit.Limiter}), N per period
 * ({@link io.celeriac.limit.RateLimiter}), and the
 * {@link io.celeriac.limit.Limited @Limited} method annotation.
 */
@NullMarked
package io.celeriac.limit;

import org.jspecify.annotations.NullMarked;
