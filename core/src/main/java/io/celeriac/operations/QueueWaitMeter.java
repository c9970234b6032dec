package io.celeriac.operations;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import io.celeriac.execution.MetadataContributor;
import io.celeriac.execution.TaskInterceptor;
import io.celeriac.protocol.CeleryTime;
import io.celeriac.protocol.TaskMessage;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.jspecify.annotations.Nullable;

/**
 * Measures how long tasks waited in their queue, as {@code celeriac.tasks.queued{name}}.
 * Celery's protocol carries no send time, so the producer stamps one as metadata
 * ({@code x-celeriac-meta-sent-at}, epoch milliseconds) and the worker, just before the
 * task runs, records the time since the later of that stamp and the task's {@code eta} (a
 * delayed task waits on purpose until then). Tasks from producers that do not stamp it,
 * such as Python Celery, are not measured. Producer and worker clocks are taken to agree
 * (NTP), as Sidekiq's latency does.
 *
 * @author Celeriac team
 */
public class QueueWaitMeter implements MetadataContributor, TaskInterceptor {

	/**
	 * The timer of waits in the queue.
	 */
	public static final String QUEUED = "celeriac.tasks.queued";

	private static final String NAMESPACE = "sent-at";

	private static final Scope NOTHING = () -> {
	};

	private final MeterRegistry registry;

	private final Clock clock;

	/**
	 * Creates a meter on the system clock.
	 * @param registry where the timer goes
	 */
	public QueueWaitMeter(MeterRegistry registry) {
		this(registry, Clock.systemUTC());
	}

	/**
	 * Creates a meter.
	 * @param registry where the timer goes
	 * @param clock the clock of stamps and measurements
	 */
	public QueueWaitMeter(MeterRegistry registry, Clock clock) {
		this.registry = registry;
		this.clock = clock;
	}

	@Override
	public String namespace() {
		return NAMESPACE;
	}

	@Override
	public String produce() {
		return Long.toString(this.clock.millis());
	}

	@Override
	public Scope consume(@Nullable String metadata) {
		return NOTHING;
	}

	@Override
	public @Nullable Object intercept(TaskMessage task, Invocation invocation) throws Throwable {
		Instant sent = sentAt(task.headers().extra().get(HEADER_PREFIX + NAMESPACE));
		if (sent != null) {
			Instant eta = eta(task.headers().eta());
			Instant queued = (eta != null && eta.isAfter(sent)) ? eta : sent;
			Duration waited = Duration.between(queued, this.clock.instant());
			Timer.builder(QUEUED)
				.description("How long tasks waited in their queue before a worker ran them")
				.tag("name", task.task())
				.register(this.registry)
				.record(waited.isNegative() ? Duration.ZERO : waited);
		}
		return invocation.proceed();
	}

	private static @Nullable Instant sentAt(@Nullable Object stamp) {
		if (stamp == null) {
			return null;
		}
		try {
			return Instant.ofEpochMilli(Long.parseLong(stamp.toString()));
		}
		catch (NumberFormatException ex) {
			// not ours to fail a task over: it is only not measured
			return null;
		}
	}

	private static @Nullable Instant eta(@Nullable String eta) {
		try {
			return CeleryTime.parse(eta);
		}
		catch (RuntimeException ex) {
			return null;
		}
	}

}
