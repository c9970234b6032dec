package io.celeriac.protocol;

/**
 * Why a task message went to the error queue; written to its
 * {@code x-celeriac-error-kind} header so that a person (or a tool) can tell the cases
 * apart.
 *
 * @author Celeriac team
 */
public enum ErrorKind {

	/**
	 * The body is not JSON.
	 */
	BODY_NOT_JSON,

	/**
	 * The body is JSON but not the protocol v2 triple {@code [args, kwargs, embed]}.
	 */
	BODY_NOT_PROTOCOL_V2,

	/**
	 * The content type is not {@code application/json} (e.g. a pickled Python message).
	 */
	UNSUPPORTED_CONTENT_TYPE,

	/**
	 * A header the protocol requires ({@code task}, {@code id}) is missing or not text.
	 */
	MISSING_HEADER,

	/**
	 * No task of that name is registered in this worker.
	 */
	UNKNOWN_TASK,

	/**
	 * The arguments do not fit the task method's parameters.
	 */
	ARGUMENTS_MISMATCH,

	/**
	 * The message is larger than the worker accepts.
	 */
	MESSAGE_TOO_LARGE,

	/**
	 * A header has a value of the wrong form, e.g. an {@code eta} that is not a time.
	 */
	INVALID_HEADER,

	/**
	 * A header is longer than the result or task table holds, or holds a character the
	 * database refuses (a NUL), so the task could not be recorded: the message is moved
	 * before anything is recorded, instead of failing to record again and again.
	 */
	UNRECORDABLE_HEADER,

	/**
	 * The task ran and threw an exception.
	 */
	TASK_FAILED,

	/**
	 * The task threw an exception its retry policy names, on its last attempt.
	 */
	RETRIES_EXHAUSTED,

	/**
	 * The broker delivered the message more times than the worker allows without it ever
	 * completing: a worker probably died running it (a poison message).
	 */
	DELIVERY_LIMIT,

	/**
	 * The message is not signed, and the worker runs signed messages only
	 * ({@code celeriac.security.enabled}).
	 */
	UNSIGNED_MESSAGE,

	/**
	 * The message is signed by a signer whose certificate the worker does not trust.
	 */
	UNKNOWN_SIGNER,

	/**
	 * The message's signature does not match its body: it was changed, or signed with
	 * another key.
	 */
	INVALID_SIGNATURE

}
