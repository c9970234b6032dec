package io.celeriac.autoconfigure;

import java.util.Locale;

/**
 * Thrown at startup when a capability would fall back, by default, to its in-memory
 * backend beside a real broker, where losing its state is not acceptable without an
 * explicit choice.
 *
 * @author Celeriac team
 */
public class SingleProcessBackendException extends IllegalStateException {

	private final Capability capability;

	private final String broker;

	private final String consequence;

	SingleProcessBackendException(Capability capability, String broker, String consequence) {
		super("The " + capability.name().toLowerCase(Locale.ROOT) + " backend fell back to memory beside the '" + broker
				+ "' broker (" + consequence + "); set '" + capability.property() + "'");
		this.capability = capability;
		this.broker = broker;
		this.consequence = consequence;
	}

	/**
	 * Returns the capability that fell back to memory.
	 * @return the capability
	 */
	public Capability getCapability() {
		return this.capability;
	}

	/**
	 * Returns the broker beside which it did.
	 * @return the broker's name, e.g. {@code rabbit}
	 */
	public String getBroker() {
		return this.broker;
	}

	/**
	 * Returns what would go wrong with the in-memory backend.
	 * @return the consequence
	 */
	public String getConsequence() {
		return this.consequence;
	}

}
