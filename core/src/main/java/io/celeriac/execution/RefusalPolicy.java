package io.celeriac.execution;

import java.time.Duration;

import io.celeriac.limit.LimiterUnavailableException;
import io.celeriac.limit.PermitTimeoutException;
import io.celeriac.lock.LockTimeoutException;
import io.celeriac.lock.LockUnavailableException;
import org.jspecify.annotations.Nullable;

/**
 * What a worker does with a task that a lock or limiter refused: one whose
 * {@code @Locked} lock was held elsewhere past its timeout, whose {@code @Limited} permit
 * did not come, or whose lock or limiter store could not be reached. Such a task did not
 * fail: the worker publishes it again to run after {@code countdown} (as Celery's
 * {@code self.retry(countdown=...)}, waiting in the delayed task store, not in the
 * worker), up to {@code maxRetries} times; a task refused once more than that fails and
 * goes to the error queue as {@code RETRIES_EXHAUSTED}, from where it can be requeued.
 *
 * @param countdown how long a refused task waits before it runs again
 * @param maxRetries how many times a task may be refused and sent again; {@code 0} sends
 * none again, so that a refusal fails the task
 * @author Celeriac team
 */
public record RefusalPolicy(Duration countdown, int maxRetries) {

	/**
	 * The countdown of a worker that does not configure one.
	 */
	public static final Duration DEFAULT_COUNTDOWN = Duration.ofSeconds(10);

	/**
	 * The bound of a worker that does not configure one: with the default countdown, a
	 * task is refused for about an hour before it fails.
	 */
	public static final int DEFAULT_MAX_RETRIES = 360;

	private static final RefusalPolicy DEFAULTS = new RefusalPolicy(DEFAULT_COUNTDOWN, DEFAULT_MAX_RETRIES);

	public RefusalPolicy {
		if (countdown.isNegative()) {
			throw new IllegalArgumentException("The countdown of a refused task must not be negative: " + countdown
					+ " (celeriac.worker.refusal.countdown)");
		}
		if (maxRetries < 0) {
			throw new IllegalArgumentException("The number of refusals must not be negative: " + maxRetries
					+ " (celeriac.worker.refusal.max-retries)");
		}
	}

	/**
	 * Returns the policy of a worker that does not configure one.
	 * @return the default policy
	 */
	public static RefusalPolicy defaults() {
		return DEFAULTS;
	}

	/**
	 * Tells whether an exception, or one of its causes, is a lock's or limiter's refusal.
	 * @param exception what the task threw
	 * @return {@code true} if a lock or limiter refused the task
	 */
	public static boolean isRefusal(@Nullable Throwable exception) {
		for (Throwable cause = exception; cause != null; cause = cause.getCause()) {
			if (cause instanceof LockTimeoutException || cause instanceof LockUnavailableException
					|| cause instanceof PermitTimeoutException || cause instanceof LimiterUnavailableException) {
				return true;
			}
			if (cause.getCause() == cause) {
				break;
			}
		}
		return false;
	}

	/**
	 * Tells whether a task refused as often as given may be sent again.
	 * @param refusals how many times it has been refused, this time included
	 * @return {@code true} to send it again
	 */
	public boolean shouldRetry(int refusals) {
		return refusals <= this.maxRetries;
	}

}
