package io.celeriac.result;

/**
 * The states of a task, with Celery's names so that the result table reads the same from
 * Python.
 *
 * @author Celeriac team
 */
public enum TaskState {

	/**
	 * Not known to have started (Celery reports unknown ids as pending too).
	 */
	PENDING,

	/**
	 * A worker began running it.
	 */
	STARTED,

	/**
	 * It failed and was sent again to run later.
	 */
	RETRY,

	/**
	 * It ran and returned.
	 */
	SUCCESS,

	/**
	 * It could not run, or ran and threw.
	 */
	FAILURE,

	/**
	 * It was revoked (e.g. expired) and will not run.
	 */
	REVOKED;

	/**
	 * Tells whether no further state will follow.
	 * @return {@code true} for SUCCESS, FAILURE and REVOKED
	 */
	public boolean isFinal() {
		return this == SUCCESS || this == FAILURE || this == REVOKED;
	}

}
