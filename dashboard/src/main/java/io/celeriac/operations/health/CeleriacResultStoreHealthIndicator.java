package io.celeriac.operations.health;

import java.util.UUID;

import io.celeriac.result.BatchingResultStore;
import io.celeriac.result.ResultStore;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * The result store's health: UP when looking up a random task id answers, DOWN with the
 * exception when it throws. A batching store adds its writer's figures: results queued,
 * the queue's capacity, the last failure and since when the store is unreachable.
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
		if (this.store instanceof BatchingResultStore batching) {
			BatchingResultStore.WriterStatus status = batching.status();
			builder.withDetail("queued", status.queued()).withDetail("capacity", status.capacity());
			if (status.lastFailureAt() != null) {
				builder.withDetail("lastFailureAt", status.lastFailureAt().toString())
					.withDetail("lastFailure", String.valueOf(status.lastFailure()));
			}
			if (status.unreachableSince() != null) {
				builder.withDetail("unreachableSince", status.unreachableSince().toString());
			}
		}
		this.store.find("health-check-" + UUID.randomUUID());
		builder.up().withDetail("store", this.store.getClass().getSimpleName());
	}

}
