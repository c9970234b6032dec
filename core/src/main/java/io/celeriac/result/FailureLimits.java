package io.celeriac.result;

import org.jspecify.annotations.Nullable;

/**
 * The longest exception message and traceback kept where a failure is written down
 * (result rows, logs, error-queue headers), so that one huge message cannot bloat a row,
 * a log or a message header. Longer text is cut and ends with {@code "..."}.
 *
 * @param maxMessageLength the longest exception message kept, in characters
 * @param maxTracebackLength the longest traceback kept, in characters
 * @author Celeriac team
 */
public record FailureLimits(int maxMessageLength, int maxTracebackLength) {

	/**
	 * The defaults: 4 KiB of message and 64 KiB of traceback.
	 */
	public static final FailureLimits DEFAULTS = new FailureLimits(4 * 1024, 64 * 1024);

	private static final String ELLIPSIS = "...";

	/**
	 * Checks the limits.
	 * @param maxMessageLength the longest exception message kept
	 * @param maxTracebackLength the longest traceback kept
	 */
	public FailureLimits {
		if (maxMessageLength < 16 || maxTracebackLength < 16) {
			throw new IllegalArgumentException("celeriac.result.max-message-size and max-traceback-size must be at "
					+ "least 16 bytes, not " + maxMessageLength + " and " + maxTracebackLength);
		}
	}

	/**
	 * Cuts an exception message to the limit.
	 * @param message the message, or {@code null}
	 * @return the message, cut if too long, or {@code null}
	 */
	public @Nullable String message(@Nullable String message) {
		return (message != null) ? cut(message, this.maxMessageLength) : null;
	}

	/**
	 * Cuts a traceback to the limit.
	 * @param traceback the traceback
	 * @return the traceback, cut if too long
	 */
	public String traceback(String traceback) {
		return cut(traceback, this.maxTracebackLength);
	}

	/**
	 * Cuts a failure's message and traceback to the limits, and writes a NUL character in
	 * the traceback as {@code \x00}, as Python prints it.
	 * @param failure the failure
	 * @return the failure, or a copy with shorter text
	 */
	public TaskFailure apply(TaskFailure failure) {
		String message = cut(failure.message(), this.maxMessageLength);
		// the traceback goes in a text column, and PostgreSQL refuses a NUL in text: a
		// row it refused would be tried again on every delivery
		String traceback = cut(failure.traceback().replace("\0", "\\x00"), this.maxTracebackLength);
		if (message.equals(failure.message()) && traceback.equals(failure.traceback())) {
			return failure;
		}
		return new TaskFailure(failure.exceptionType(), failure.exceptionModule(), message, traceback);
	}

	private static String cut(String text, int length) {
		if (text.length() <= length) {
			return text;
		}
		int end = length - ELLIPSIS.length();
		if (Character.isHighSurrogate(text.charAt(end - 1))) {
			end--;
		}
		return text.substring(0, end) + ELLIPSIS;
	}

}
