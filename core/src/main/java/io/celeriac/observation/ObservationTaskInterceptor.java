package io.celeriac.observation;

import io.celeriac.execution.TaskInterceptor;
import io.celeriac.protocol.TaskMessage;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import org.jspecify.annotations.Nullable;

import org.springframework.core.Ordered;

/**
 * Runs each task inside a {@code celeriac.task.process} consumer observation that
 * continues the trace whose context the message's headers carry. While the task runs the
 * observation is in scope, so a tracing bridge puts the trace and span ids in the MDC. It
 * orders itself before other interceptors so that they run inside the observation too.
 *
 * @author Celeriac team
 */
public class ObservationTaskInterceptor implements TaskInterceptor, Ordered {

	/**
	 * The order of this interceptor: outermost, with room for one that must run before
	 * it.
	 */
	public static final int ORDER = Ordered.HIGHEST_PRECEDENCE + 100;

	private final ObservationRegistry registry;

	private final @Nullable TaskProcessObservationConvention convention;

	/**
	 * Creates an interceptor with the default convention.
	 * @param registry the registry
	 */
	public ObservationTaskInterceptor(ObservationRegistry registry) {
		this(registry, null);
	}

	/**
	 * Creates an interceptor.
	 * @param registry the registry
	 * @param convention the convention, or {@code null} for
	 * {@link DefaultTaskProcessObservationConvention}
	 */
	public ObservationTaskInterceptor(ObservationRegistry registry,
			@Nullable TaskProcessObservationConvention convention) {
		this.registry = registry;
		this.convention = convention;
	}

	@Override
	public @Nullable Object intercept(TaskMessage task, Invocation invocation) throws Throwable {
		Observation observation = TaskObservationDocumentation.TASK_PROCESS.observation(this.convention,
				DefaultTaskProcessObservationConvention.INSTANCE, () -> new TaskProcessContext(task), this.registry);
		return observation.observeChecked(invocation::proceed);
	}

	@Override
	public int getOrder() {
		return ORDER;
	}

}
