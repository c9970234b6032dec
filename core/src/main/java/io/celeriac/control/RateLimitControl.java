package io.celeriac.control;

import org.jspecify.annotations.Nullable;

/**
 * Applies Celery's {@code rate_limit} control command to a task's rate limit, where the
 * application has one (a per-task rate limit bean implements it). Without one, a worker
 * answers the command with an error saying that it enforces no rate limits.
 *
 * @author Celeriac team
 */
@FunctionalInterface
public interface RateLimitControl {

	/**
	 * Sets a task's rate limit.
	 * @param taskName the task's name
	 * @param rateLimit Celery's rate string ({@code 10/s}, {@code 100/m}, {@code 5/h} or
	 * a number per second), or {@code null} to remove the limit
	 */
	void apply(String taskName, @Nullable String rateLimit);

}
