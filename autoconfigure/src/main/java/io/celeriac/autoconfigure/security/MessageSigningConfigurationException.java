package io.celeriac.autoconfigure.security;

import org.jspecify.annotations.Nullable;

/**
 * Thrown at startup when a {@code celeriac.security.*} property is missing or names a key
 * or certificate that cannot be read or used.
 *
 * @author Celeriac team
 */
public class MessageSigningConfigurationException extends IllegalStateException {

	private final String property;

	MessageSigningConfigurationException(String property, String problem) {
		this(property, problem, null);
	}

	MessageSigningConfigurationException(String property, String problem, @Nullable Throwable cause) {
		super("Message signing is on (celeriac.security.enabled=true), but property '" + property + "' " + problem,
				cause);
		this.property = property;
	}

	/**
	 * Returns the property to change.
	 * @return its name, e.g. {@code celeriac.security.key}
	 */
	public String getProperty() {
		return this.property;
	}

}
