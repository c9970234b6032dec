package io.celeriac.operations.health;

import io.celeriac.worker.OutcomeStatus;
import io.celeriac.worker.TaskWorker;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * The worker's health: UP while it takes messages, OUT_OF_SERVICE while it has paused
 * because the result store does not answer (it holds the outcomes of finished tasks and
 * records them when the store answers again), with the reason and how many outcomes wait.
 *
 * @author Celeriac team
 */
public class CeleriacWorkerHealthIndicator extends AbstractHealthIndicator {

	private final TaskWorker worker;

	/**
	 * Creates the indicator.
	 * @param worker the worker
	 */
	public CeleriacWorkerHealthIndicator(TaskWorker worker) {
		super("Celeriac worker health check failed");
		this.worker = worker;
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) {
		OutcomeStatus status = this.worker.outcomes();
		builder.withDetail("worker", this.worker.settings().name())
			.withDetail("pendingOutcomes", status.pending())
			.withDetail("pendingOutcomesBound", status.bound());
		if (status.paused()) {
			builder.outOfService()
				.withDetail("reason",
						"paused: the result store does not answer (" + status.reason()
								+ "); no new task is taken until it does")
				.withDetail("pausedSince", String.valueOf(status.pausedSince()));
		}
		else {
			builder.up();
		}
	}

}
