package io.celeriac.autoconfigure;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Explains a startup failure caused by an unknown {@code celeriac.<capability>.type}.
 *
 * @author Celeriac team
 */
class InvalidBackendTypeFailureAnalyzer extends AbstractFailureAnalyzer<InvalidBackendTypeException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, InvalidBackendTypeException cause) {
		String description = "The property '" + cause.getProperty() + "' is set to '" + cause.getValue()
				+ "', which is not a Celeriac backend.";
		String action = "Set '" + cause.getProperty() + "' to one of: " + cause.getAllowedValues()
				+ ", or remove it to let Celeriac choose from the configured servers.";
		return new FailureAnalysis(description, action, cause);
	}

}
