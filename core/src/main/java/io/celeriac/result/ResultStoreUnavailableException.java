package io.celeriac.result;

/**
 * Thrown when a result could not be recorded because the result store cannot be reached;
 * while it stays unreachable, saves fail at once rather than each waiting for a
 * connection.
 *
 * @author Celeriac team
 */
public class ResultStoreUnavailableException extends IllegalStateException {

	/**
	 * Creates the exception.
	 * @param message what was not recorded and since when the store is unreachable
	 * @param cause the connection failure
	 */
	public ResultStoreUnavailableException(String message, Throwable cause) {
		super(message, cause);
	}

}
