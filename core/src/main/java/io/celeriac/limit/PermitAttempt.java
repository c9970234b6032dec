package io.celeriac.limit;

import java.time.Duration;

/**
 * What one attempt to take a place in a limiter's store found, as backends report it to
 * {@link AbstractLimiter}.
 *
 * @param acquired whether a place was taken
 * @param retryWithin when not taken: the time until the first place expires, after which
 * another attempt can succeed even if no release is announced
 * @author Celeriac team
 */
public record PermitAttempt(boolean acquired, Duration retryWithin) {

}
