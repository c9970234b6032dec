package io.celeriac.execution;

import io.celeriac.protocol.TaskMessage;
import org.jspecify.annotations.Nullable;

/**
 * Wraps each run of a task on the worker, as retools' {@code job_wrapper}: it may act
 * before and after, time the task, or set up a context, and must call
 * {@link Invocation#proceed()} to run it. Interceptors nest in the order given, the first
 * outermost.
 *
 * @author Celeriac team
 */
@FunctionalInterface
public interface TaskInterceptor {

	/**
	 * Runs around one task.
	 * @param task the task
	 * @param invocation runs the rest of the chain and the task
	 * @return what the task returned
	 * @throws Throwable what the task threw
	 */
	@Nullable Object intercept(TaskMessage task, Invocation invocation) throws Throwable;

	/**
	 * The rest of the chain.
	 */
	@FunctionalInterface
	interface Invocation {

		/**
		 * Runs the rest of the chain and the task.
		 * @return what the task returned
		 * @throws Throwable what the task threw
		 */
		@Nullable Object proceed() throws Throwable;

	}

}
