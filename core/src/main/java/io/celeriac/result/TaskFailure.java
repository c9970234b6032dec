package io.celeriac.result;

/**
 * The exception a task raised, in the terms Celery records it: type, module and message,
 * with the stack trace as text.
 *
 * @param exceptionType the exception's simple type name, e.g.
 * {@code IllegalStateException}
 * @param exceptionModule where the type lives: the Java package, or the Python module
 * @param message the exception's message
 * @param traceback the stack trace as text
 * @author Celeriac team
 */
public record TaskFailure(String exceptionType, String exceptionModule, String message, String traceback) {

	/**
	 * The failure recorded, with {@code REVOKED}, for a task whose {@code expires} had
	 * passed when a worker took it: Celery's {@code TaskRevokedError('expired')}.
	 * @return the failure
	 */
	public static TaskFailure expired() {
		return new TaskFailure("TaskRevokedError", "celery.exceptions", "expired", "");
	}

	/**
	 * The failure recorded for a task revoked by a {@code revoke} command: Celery's
	 * {@code TaskRevokedError('revoked')}, or {@code TaskRevokedError('terminated')} for
	 * one interrupted while it ran.
	 * @param terminated whether it was interrupted while it ran
	 * @return the failure
	 */
	public static TaskFailure revoked(boolean terminated) {
		return new TaskFailure("TaskRevokedError", "celery.exceptions", terminated ? "terminated" : "revoked", "");
	}

	/**
	 * Describes a Java exception.
	 * @param exception the exception
	 * @param traceback the stack trace as text
	 * @return the failure
	 */
	public static TaskFailure of(Throwable exception, String traceback) {
		Class<?> type = exception.getClass();
		String message = (exception.getMessage() != null) ? exception.getMessage() : "";
		return new TaskFailure(type.getSimpleName(), type.getPackageName(), message, traceback);
	}

}
