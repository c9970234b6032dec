package io.celeriac.task;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * When a failed task is sent again and how long it waits first. A task is retried when
 * its exception is one of {@code retryOn} (or a subclass) and fewer than
 * {@code maxAttempts} attempts have run; otherwise it goes to the error queue at once.
 * The wait before attempt {@code n + 1} is {@code baseDelay * 2^(n - 1)}, capped at
 * {@code maxDelay}, with up to a quarter taken off at random when {@code jitter} is on
 * (so that many tasks failing together do not come back together); without backoff it is
 * {@code baseDelay} every time.
 *
 * @param retryOn the exception classes that cause a retry; empty for none
 * @param maxAttempts the number of attempts in all, the first included (at least 1)
 * @param backoff whether the wait doubles with each attempt
 * @param baseDelay the wait before the second attempt
 * @param maxDelay the longest wait
 * @param jitter whether to take up to a quarter off each wait at random
 * @author Celeriac team
 */
public record RetryPolicy(List<Class<? extends Throwable>> retryOn, int maxAttempts, boolean backoff,
		Duration baseDelay, Duration maxDelay, boolean jitter) {

	/**
	 * The factor by which each wait grows.
	 */
	public static final int FACTOR = 2;

	private static final RetryPolicy NONE = new RetryPolicy(List.of(), 1, false, Duration.ZERO, Duration.ZERO, false);

	public RetryPolicy {
		retryOn = List.copyOf(retryOn);
		if (maxAttempts < 1) {
			throw new IllegalArgumentException("maxAttempts must be at least 1, not " + maxAttempts);
		}
		if (baseDelay.isNegative() || maxDelay.isNegative()) {
			throw new IllegalArgumentException(
					"Retry delays must not be negative: base " + baseDelay + ", max " + maxDelay);
		}
	}

	/**
	 * Returns the policy of a task that is never retried.
	 * @return the policy
	 */
	public static RetryPolicy none() {
		return NONE;
	}

	/**
	 * Reads the policy declared on a task method.
	 * @param deferrable the annotation
	 * @return the policy
	 */
	public static RetryPolicy of(Deferrable deferrable) {
		return new RetryPolicy(List.of(deferrable.retryOn()), deferrable.maxAttempts(), deferrable.backoff(),
				Duration.ofMillis(deferrable.backoffDelayMillis()),
				Duration.ofMillis(deferrable.backoffMaxDelayMillis()), deferrable.backoffJitter());
	}

	/**
	 * Tells whether an attempt that threw should be followed by another.
	 * @param exception what the attempt threw
	 * @param attempt the attempt that threw, 1 for the first
	 * @return {@code true} to retry
	 */
	public boolean shouldRetry(Throwable exception, int attempt) {
		return attempt < this.maxAttempts && isRetryable(exception);
	}

	/**
	 * Tells whether an exception is one of {@code retryOn}.
	 * @param exception the exception
	 * @return {@code true} if it is
	 */
	public boolean isRetryable(Throwable exception) {
		return this.retryOn.stream().anyMatch((type) -> type.isInstance(exception));
	}

	/**
	 * Returns how long to wait, without jitter, before the attempt after the given one.
	 * @param attempt the attempt that failed, 1 for the first
	 * @return the wait
	 */
	public Duration nominalDelay(int attempt) {
		if (!this.backoff) {
			return this.baseDelay;
		}
		long base = this.baseDelay.toMillis();
		int doublings = Math.min(Math.max(attempt - 1, 0), 30);
		long millis = (base > (Long.MAX_VALUE >> doublings)) ? Long.MAX_VALUE : base << doublings;
		return Duration.ofMillis(Math.min(millis, this.maxDelay.toMillis()));
	}

	/**
	 * Returns how long to wait before the attempt after the given one, jitter included.
	 * @param attempt the attempt that failed, 1 for the first
	 * @return the wait
	 */
	public Duration delay(int attempt) {
		Duration nominal = nominalDelay(attempt);
		if (!this.jitter || nominal.isZero()) {
			return nominal;
		}
		long millis = nominal.toMillis();
		return Duration.ofMillis(millis - ThreadLocalRandom.current().nextLong(millis / 4 + 1));
	}

}
