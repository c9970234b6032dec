package io.celeriac.worker;

/**
 * Tells a worker which tasks were revoked, as Celery's {@code revoke} control command
 * does: a revoked task is recorded REVOKED and not run, and one terminated while it ran
 * is recorded REVOKED rather than failed.
 *
 * @author Celeriac team
 */
public interface TaskRevocation {

	/**
	 * A revocation that revokes nothing.
	 */
	TaskRevocation NONE = new TaskRevocation() {

		@Override
		public boolean isRevoked(String taskId) {
			return false;
		}

		@Override
		public boolean terminated(String taskId) {
			return false;
		}

	};

	/**
	 * Tells whether a task was revoked; the worker asks just before it would start it.
	 * @param taskId the task's id
	 * @return {@code true} if it must not run
	 */
	boolean isRevoked(String taskId);

	/**
	 * Tells whether the run of a task that just ended on the current thread was
	 * terminated ({@code revoke(terminate=True)}), and forgets it.
	 * @param taskId the task's id
	 * @return {@code true} if it was terminated
	 */
	boolean terminated(String taskId);

}
