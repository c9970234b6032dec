package io.celeriac.worker;

import java.time.Duration;

import io.celeriac.broker.Delivery;
import io.celeriac.protocol.TaskMessage;
import io.celeriac.result.TaskResult;

/**
 * An outcome in the {@link OutcomePipeline}: the row to record, the delivery it settles,
 * and what follows once it is recorded. Compared by identity: the pipeline holds each one
 * until it is settled or let go.
 *
 * @author Celeriac team
 */
final class PendingOutcome {

	private static final Duration FIRST_PAUSE = Duration.ofMillis(100);

	private static final Duration MAX_PAUSE = Duration.ofSeconds(5);

	private final Delivery delivery;

	private final TaskMessage message;

	private final TaskResult row;

	private final Runnable then;

	private final boolean repeatable;

	private int failures;

	PendingOutcome(Delivery delivery, TaskMessage message, TaskResult row, Runnable then, boolean repeatable) {
		this.delivery = delivery;
		this.message = message;
		this.row = row;
		this.then = then;
		this.repeatable = repeatable;
	}

	Delivery delivery() {
		return this.delivery;
	}

	TaskMessage message() {
		return this.message;
	}

	TaskResult row() {
		return this.row;
	}

	Runnable then() {
		return this.then;
	}

	boolean repeatable() {
		return this.repeatable;
	}

	/**
	 * Returns how long to wait before trying again after one more failure: it grows with
	 * the failures, up to a few seconds.
	 * @return the pause
	 */
	synchronized Duration nextPause() {
		long millis = FIRST_PAUSE.toMillis() << Math.min(this.failures++, 16);
		return Duration.ofMillis(Math.min(millis, MAX_PAUSE.toMillis()));
	}

}
