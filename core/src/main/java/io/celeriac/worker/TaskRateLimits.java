package io.celeriac.worker;

import java.lang.reflect.Method;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import io.celeriac.limit.Limiters;
import io.celeriac.limit.RateLimitDefinition;
import io.celeriac.limit.RateLimiter;
import io.celeriac.protocol.TaskMessage;
import io.celeriac.protocol.WireMessage;
import io.celeriac.task.Deferrable;
import org.jspecify.annotations.Nullable;

import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.util.Assert;

/**
 * The fleet-wide rate limit of each task, from {@link Deferrable#rateLimit()} or from
 * configuration (which wins), kept by one {@link RateLimiter} per task that every worker
 * shares through the {@link Limiters} store. A worker asks for the task's turn before it
 * runs it: a task over its rate gets a reserved turn later, waits for it in the delayed
 * task store, and comes back carrying the {@link #TURN_HEADER} that lets it run without
 * counting again. Unlike Celery's {@code rate_limit}, which each worker process keeps on
 * its own and holds waiting tasks in its memory, the rate holds across the fleet.
 *
 * @author Celeriac team
 */
public class TaskRateLimits {

	/**
	 * Header of a task that waited for its turn: {@code <retries>@<turn, ISO 8601>}. It
	 * is honoured only while {@code retries} is unchanged, so a retry of the task counts
	 * against the rate again.
	 */
	public static final String TURN_HEADER = "x-celeriac-rate-turn";

	private static final String KEY = "fleet";

	private final Limiters limiters;

	private final Map<String, Optional<RateLimitDefinition>> configured;

	private final Map<String, Optional<RateLimiter>> rateLimiters = new ConcurrentHashMap<>();

	/**
	 * Creates the rate limits of the tasks.
	 * @param limiters where the rates are kept; shared by every worker of the fleet
	 * @param rates rate limits by task name in Celery's format (e.g. {@code "10/m"};
	 * {@code "0"} for none), which win over the tasks' {@link Deferrable#rateLimit()}
	 * @throws IllegalArgumentException if a rate is not in Celery's format; the message
	 * names the task
	 */
	public TaskRateLimits(Limiters limiters, Map<String, String> rates) {
		Assert.notNull(limiters, "Limiters must not be null");
		Map<String, Optional<RateLimitDefinition>> configured = new LinkedHashMap<>();
		rates.forEach((task, rate) -> {
			try {
				configured.put(task, RateLimitDefinition.parse(rate));
			}
			catch (IllegalArgumentException ex) {
				throw new IllegalArgumentException("Invalid rate limit of task '" + task + "': " + ex.getMessage(), ex);
			}
		});
		this.limiters = limiters;
		this.configured = Map.copyOf(configured);
	}

	/**
	 * Returns the rate limit of a task.
	 * @param task the task's name
	 * @param method the method that runs it, whose {@link Deferrable#rateLimit()} applies
	 * unless configuration names the task; {@code null} when not known
	 * @return the limit, or empty for none
	 */
	public Optional<RateLimitDefinition> rateLimit(String task, @Nullable Method method) {
		Optional<RateLimitDefinition> configured = this.configured.get(task);
		if (configured != null) {
			return configured;
		}
		Deferrable deferrable = (method != null) ? AnnotatedElementUtils.findMergedAnnotation(method, Deferrable.class)
				: null;
		if (deferrable == null || deferrable.rateLimit().isEmpty()) {
			return Optional.empty();
		}
		return RateLimitDefinition.parse(deferrable.rateLimit());
	}

	/**
	 * Takes the task's turn to run: counts it against the task's rate and returns how
	 * long until its turn, zero to run now. A task that carries the {@link #TURN_HEADER}
	 * of this attempt already had its turn counted and runs now.
	 * @param message the task
	 * @param method the method that runs it, or {@code null} when not known
	 * @return how long the task must wait
	 * @throws io.celeriac.limit.LimiterUnavailableException if the store cannot be
	 * reached
	 */
	public Duration reserve(TaskMessage message, @Nullable Method method) {
		if (holdsTurn(message)) {
			return Duration.ZERO;
		}
		Optional<RateLimiter> limiter = this.rateLimiters.computeIfAbsent(message.task(),
				(task) -> rateLimit(task, method)
					.map((definition) -> this.limiters.rateLimiter("task:" + task, definition)));
		return limiter.map((rateLimiter) -> rateLimiter.reserve(KEY)).orElse(Duration.ZERO);
	}

	/**
	 * Returns the message to publish again at the task's turn: the same message with the
	 * {@link #TURN_HEADER} added.
	 * @param wire the message as delivered
	 * @param message the task it carries
	 * @param turn when its turn comes
	 * @return the message to park
	 */
	public WireMessage withTurn(WireMessage wire, TaskMessage message, Instant turn) {
		return wire.withHeaders(Map.of(TURN_HEADER, message.headers().retries() + "@" + turn));
	}

	private boolean holdsTurn(TaskMessage message) {
		Object turn = message.headers().extra().get(TURN_HEADER);
		return turn != null && turn.toString().startsWith(message.headers().retries() + "@");
	}

}
