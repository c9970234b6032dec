package io.celeriac.processing;

/**
 * Thrown when an operation or its callback is declared or configured wrongly: a bad
 * method signature, two methods with one name, a callback without an operation, or no
 * region for its results.
 *
 * @author Celeriac team
 */
public class OperationConfigurationException extends RuntimeException {

	/**
	 * Creates the exception.
	 * @param message what is wrong and how to fix it
	 */
	public OperationConfigurationException(String message) {
		super(message);
	}

}
