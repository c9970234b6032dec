package io.celeriac.processing;

/**
 * How the result of a processing reaches its waiting callers.
 *
 * @author Celeriac team
 */
public enum CallbackDelivery {

	/**
	 * The {@link OperationCallback} method runs on the worker that processed the
	 * operation.
	 */
	IN_PROCESS,

	/**
	 * A Celery task named after the operation (backache's
	 * {@code backache.callback.<operation>}) is sent with one argument,
	 * {@code [result, [callbackArgs...]]}, for a Python worker or another Java fleet to
	 * run.
	 */
	TASK

}
