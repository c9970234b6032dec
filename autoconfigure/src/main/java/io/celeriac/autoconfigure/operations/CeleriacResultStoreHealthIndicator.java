package io.celeriac.autoconfigure.operations;

import java.util.UUID;

import io.celeriac.result.ResultStore;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * The result store's health: UP when looking up a random task id answers, DOWN with the
 * exception when it throws.
 *
 * @author Celeriac team
 */
public class CeleriacResultStoreHealthIndicator extends AbstractHealthIndicator {

	private final ResultStore store;

	/**
	 * Creates the indicator.
	 * @param store the result store
	 */
	public CeleriacResultStoreHealthIndicator(ResultStore store) {
		super("Celeriac result store health check failed");
		this.store = store;
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) {
		this.store.find("health-check-" + UUID.randomUUID());
		builder.up().withDetail("store", this.store.getClass().getSimpleName());
	}

}
