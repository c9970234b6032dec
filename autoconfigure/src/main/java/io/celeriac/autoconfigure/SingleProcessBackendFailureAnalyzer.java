package io.celeriac.autoconfigure;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Explains a startup failure caused by an in-memory backend chosen by default beside a
 * real broker.
 *
 * @author Celeriac team
 */
class SingleProcessBackendFailureAnalyzer extends AbstractFailureAnalyzer<SingleProcessBackendException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, SingleProcessBackendException cause) {
		Capability capability = cause.getCapability();
		String property = capability.property();
		String description = "The broker is '" + cause.getBroker() + "', but '" + property + "' is not set and "
				+ capability.describeService() + " is not configured, so Celeriac would fall back to memory: "
				+ cause.getConsequence() + ".";
		String action = "Configure " + capability.describeService() + " or set '" + property + "="
				+ capability.backendWhenConfigured() + "'. To keep it in this process's memory anyway, set '" + property
				+ "=memory' explicitly.";
		return new FailureAnalysis(description, action, cause);
	}

}
