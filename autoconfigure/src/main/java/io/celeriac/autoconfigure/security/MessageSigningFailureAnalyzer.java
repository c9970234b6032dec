package io.celeriac.autoconfigure.security;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Explains a startup failure caused by a missing or unusable {@code celeriac.security.*}
 * property.
 *
 * @author Celeriac team
 */
class MessageSigningFailureAnalyzer extends AbstractFailureAnalyzer<MessageSigningConfigurationException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, MessageSigningConfigurationException cause) {
		String fix = cause.getProperty().equals("celeriac.security.digest")
				? "Set 'celeriac.security.digest' to the security_digest of the Celery apps you share a broker with"
						+ " (sha256 unless they changed it)"
				: "Set '" + cause.getProperty() + "' to a readable resource location (e.g. 'file:/etc/celeriac/"
						+ "signing.pem') or to the PEM text itself";
		String action = fix + ", or turn message signing off with celeriac.security.enabled=false.";
		return new FailureAnalysis(cause.getMessage(), action, cause);
	}

}
