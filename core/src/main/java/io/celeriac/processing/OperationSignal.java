package io.celeriac.processing;

/**
 * What an operation throws to tell the worker how its request goes on, instead of
 * returning a result: made by {@link OperationContext#retry},
 * {@link OperationContext#quarantine} and {@link OperationContext#redirect}. It carries
 * no stack trace: it is an answer, not a failure.
 *
 * @author Celeriac team
 */
public abstract sealed class OperationSignal extends RuntimeException
		permits OperationRetry, OperationQuarantine, OperationRedirect {

	OperationSignal(String message) {
		super(message, null, false, false);
	}

}
