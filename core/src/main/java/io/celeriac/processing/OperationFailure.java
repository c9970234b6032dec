package io.celeriac.processing;

import java.io.PrintWriter;
import java.io.StringWriter;

/**
 * Why a request was quarantined, as it travels to the quarantine queue: the exception's
 * class name, message and stack trace. For a request the operation quarantined itself,
 * the type is {@link OperationQuarantine}'s name.
 *
 * @param type the exception's class name
 * @param message the exception's message, or empty
 * @param stackTrace the stack trace, or empty
 * @author Celeriac team
 */
public record OperationFailure(String type, String message, String stackTrace) {

	/**
	 * Describes an exception.
	 * @param ex the exception
	 * @return the failure
	 */
	public static OperationFailure of(Throwable ex) {
		String stackTrace = "";
		if (!(ex instanceof OperationSignal)) {
			StringWriter writer = new StringWriter();
			ex.printStackTrace(new PrintWriter(writer));
			stackTrace = writer.toString();
		}
		return new OperationFailure(ex.getClass().getName(), (ex.getMessage() != null) ? ex.getMessage() : "",
				stackTrace);
	}

	/**
	 * Returns whether the operation quarantined the request itself, rather than throwing.
	 * @return whether it was {@link OperationContext#quarantine}
	 */
	public boolean quarantinedByOperation() {
		return OperationQuarantine.class.getName().equals(this.type);
	}

}
