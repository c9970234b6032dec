package io.celeriac.processing;

/**
 * Thrown by an operation to answer that the result for its URI is the result for another
 * URI; see {@link OperationContext#redirect(String)}.
 *
 * @author Celeriac team
 */
public final class OperationRedirect extends OperationSignal {

	private final String target;

	OperationRedirect(String target) {
		super("redirect to " + target);
		if (target.isBlank()) {
			throw new IllegalArgumentException("A redirect target must not be blank");
		}
		this.target = target;
	}

	/**
	 * Returns the URI whose result is also this URI's result.
	 * @return the target URI
	 */
	public String target() {
		return this.target;
	}

}
