package io.celeriac.worker;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import io.celeriac.broker.Broker;
import io.celeriac.broker.Delivery;
import io.celeriac.broker.PublishFailedException;
import io.celeriac.broker.PublishTimeoutException;
import io.celeriac.protocol.CeleryProtocol;
import io.celeriac.protocol.CeleryTime;
import io.celeriac.protocol.Origin;
import io.celeriac.protocol.TaskHeaders;
import io.celeriac.protocol.TaskMessage;
import io.celeriac.topology.Topology;
import org.jspecify.annotations.Nullable;

/**
 * Publishes a task again as Celery 5.2.6's {@code self.retry} does (same id, an
 * {@code eta}, {@code parent_id} its own id), at most once per attempt: the
 * {@link RetryLedger} remembers the attempts whose retry was confirmed by the broker, so
 * that neither a follow-up tried again nor a delivery coming back after a lost
 * acknowledgement publishes a second one, and the retries whose confirm did not come in
 * time, whose confirm a follow-up tried again waits for rather than publish a second
 * copy.
 *
 * @author Celeriac team
 */
final class RetryPublisher {

	private final Broker broker;

	private final Topology topology;

	private final CeleryProtocol protocol;

	private final WorkerSettings settings;

	private final RetryLedger ledger;

	private final String origin = Origin.current();

	RetryPublisher(Broker broker, Topology topology, CeleryProtocol protocol, WorkerSettings settings,
			RetryLedger ledger) {
		this.broker = broker;
		this.topology = topology;
		this.protocol = protocol;
		this.settings = settings;
		this.ledger = ledger;
	}

	/**
	 * Tells whether this worker already published the retry of this attempt.
	 * @param attempt the message of the attempt
	 * @return {@code true} if its retry was published
	 */
	boolean sent(TaskMessage attempt) {
		return this.ledger.retrySent(attempt);
	}

	/**
	 * Publishes the retry of an attempt, unless it was published before, and waits for
	 * the broker's confirmation; where an earlier publish of it was not confirmed in
	 * time, waits for that one's confirmation instead, and publishes again only if it was
	 * refused or lost.
	 */
	void publishOnce(Delivery delivery, TaskMessage attempt, Instant eta, int retries,
			Map<String, ? extends @Nullable Object> moreHeaders) {
		if (this.ledger.retrySent(attempt)) {
			return;
		}
		CompletableFuture<Void> earlier = this.ledger.unconfirmed(attempt);
		if (earlier != null) {
			try {
				Broker.awaitConfirmation(earlier, this.settings.confirmTimeout());
				this.ledger.markSent(attempt);
				return;
			}
			catch (PublishTimeoutException ex) {
				throw new PublishTimeoutException(
						"The retry of task " + attempt.id() + " published earlier is still not confirmed", ex);
			}
			catch (PublishFailedException ex) {
				// refused, or its channel closed before the confirm (it may have been
				// routed all the same): it is published again, a retry possibly twice
			}
		}
		TaskHeaders old = attempt.headers();
		TaskHeaders headers = old.again(this.origin).eta(eta).retries(retries).extra(moreHeaders).build();
		Instant expires = CeleryTime.parse(old.expires());
		TaskMessage next = new TaskMessage(headers, attempt.body(), attempt.replyTo(), attempt.priority(),
				CeleryTime.expiration(expires, Instant.now()));
		try {
			this.broker.publishConfirmed(this.topology.exchange(), delivery.routingKey(), this.protocol.encode(next),
					this.settings.confirmTimeout());
		}
		catch (PublishTimeoutException ex) {
			this.ledger.unconfirmed(attempt, ex.confirmation());
			throw ex;
		}
		this.ledger.markSent(attempt);
	}

}
