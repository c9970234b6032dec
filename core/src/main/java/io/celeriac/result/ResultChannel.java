package io.celeriac.result;

/**
 * Tells waiters that a task's result was just saved, so that they read the store once
 * instead of polling it (e.g. Redis pub/sub on Celery's {@code celery-task-meta-<id>}
 * channel).
 *
 * @author Celeriac team
 */
public interface ResultChannel {

	/**
	 * Calls back each time a result is saved for the task, until closed.
	 * @param taskId the task id
	 * @param onSaved what to run (on a channel thread; keep it short)
	 * @return closes the subscription
	 */
	AutoCloseable subscribe(String taskId, Runnable onSaved);

}
