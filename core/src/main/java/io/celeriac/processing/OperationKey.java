package io.celeriac.processing;

/**
 * Identifies one result: an operation applied to a URI.
 *
 * @param operation the operation name
 * @param uri the URI
 * @author Celeriac team
 */
public record OperationKey(String operation, String uri) {

	public OperationKey {
		if (operation.isBlank()) {
			throw new IllegalArgumentException("An operation name must not be blank");
		}
		if (operation.contains("{") || operation.contains("}")) {
			throw new IllegalArgumentException(
					"An operation name must not contain '{' or '}', not '" + operation + "'");
		}
		if (uri.isBlank()) {
			throw new IllegalArgumentException("A URI must not be blank (operation '" + operation + "')");
		}
	}

	@Override
	public String toString() {
		return this.operation + "(" + this.uri + ")";
	}

}
