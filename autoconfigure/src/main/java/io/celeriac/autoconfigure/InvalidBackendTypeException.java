package io.celeriac.autoconfigure;

/**
 * Thrown at startup when a {@code celeriac.<capability>.type} property names a backend
 * that does not exist.
 *
 * @author Celeriac team
 */
public class InvalidBackendTypeException extends IllegalStateException {

	private final String property;

	private final String value;

	private final String allowedValues;

	InvalidBackendTypeException(String property, String value, String allowedValues) {
		super("Unknown backend '" + value + "' in property '" + property + "'; expected one of: " + allowedValues);
		this.property = property;
		this.value = value;
		this.allowedValues = allowedValues;
	}

	/**
	 * Returns the property that held the unknown value.
	 * @return the property name
	 */
	public String getProperty() {
		return this.property;
	}

	/**
	 * Returns the unknown value.
	 * @return the value as configured
	 */
	public String getValue() {
		return this.value;
	}

	/**
	 * Returns the values the property accepts.
	 * @return a comma-separated list
	 */
	public String getAllowedValues() {
		return this.allowedValues;
	}

}
