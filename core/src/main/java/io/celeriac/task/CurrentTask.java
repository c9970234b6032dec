package io.celeriac.task;

import org.jspecify.annotations.Nullable;

/**
 * The task the current thread is running on a worker: its id and its workflow's root id.
 * A task published while another runs becomes its child, as in Celery: {@code parent_id}
 * is the running task's id and {@code root_id} its root. The worker binds it around each
 * run; {@link BrokerTaskClient} and workflow publishing read it.
 *
 * @param id the running task's id
 * @param rootId the id of the first task of its workflow
 * @author Celeriac team
 */
public record CurrentTask(String id, String rootId) {

	private static final ThreadLocal<@Nullable CurrentTask> CURRENT = new ThreadLocal<>();

	/**
	 * Returns the task this thread runs.
	 * @return the task, or {@code null} outside a task
	 */
	public static @Nullable CurrentTask get() {
		return CURRENT.get();
	}

	/**
	 * Binds a task to this thread until the returned scope is closed, when the task bound
	 * before (if any) is bound again.
	 * @param id the task id
	 * @param rootId the task's root id
	 * @return the scope
	 */
	public static Scope enter(String id, String rootId) {
		CurrentTask previous = CURRENT.get();
		CURRENT.set(new CurrentTask(id, rootId));
		return () -> {
			if (previous != null) {
				CURRENT.set(previous);
			}
			else {
				CURRENT.remove();
			}
		};
	}

	/**
	 * The binding of a task to a thread.
	 */
	@FunctionalInterface
	public interface Scope extends AutoCloseable {

		@Override
		void close();

	}

}
