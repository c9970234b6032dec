package io.celeriac.worker;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import io.celeriac.protocol.TaskMessage;
import org.jspecify.annotations.Nullable;

/**
 * Remembers the attempts whose retry message this worker has published (an attempt is a
 * task id with its {@code retries} count and refusal count), so that a redelivery of an
 * attempt whose retry was sent (its acknowledgement was lost) is acknowledged without
 * running the task again or publishing a second retry; and the retries published whose
 * confirm did not come in time, so that the follow-up tried again waits for that confirm
 * instead of publishing a second copy. Bounded: the oldest attempts are forgotten first.
 *
 * @author Celeriac team
 */
final class RetryLedger {

	private final Map<String, Boolean> sent;

	private final Map<String, CompletableFuture<Void>> unconfirmed;

	RetryLedger(int capacity) {
		this.sent = bounded(capacity);
		this.unconfirmed = bounded(capacity);
	}

	private static <V> Map<String, V> bounded(int capacity) {
		return new LinkedHashMap<>(16, 0.75f, false) {

			@Override
			protected boolean removeEldestEntry(Map.Entry<String, V> eldest) {
				return size() > capacity;
			}

		};
	}

	synchronized boolean retrySent(TaskMessage attempt) {
		return this.sent.containsKey(key(attempt));
	}

	synchronized void markSent(TaskMessage attempt) {
		this.sent.put(key(attempt), Boolean.TRUE);
	}

	/**
	 * Remembers the retry of an attempt as published but not confirmed in time; once its
	 * confirm comes, the retry counts as sent, and once it is refused or lost, it is
	 * forgotten.
	 * @param attempt the message of the attempt
	 * @param confirmation the broker's answer for the retry, however late
	 */
	void unconfirmed(TaskMessage attempt, CompletableFuture<Void> confirmation) {
		String key = key(attempt);
		synchronized (this) {
			this.unconfirmed.put(key, confirmation);
		}
		confirmation.whenComplete((done, failure) -> {
			synchronized (this) {
				this.unconfirmed.remove(key, confirmation);
				if (failure == null) {
					this.sent.put(key, Boolean.TRUE);
				}
			}
		});
	}

	/**
	 * Returns the broker's answer for the retry of an attempt published earlier whose
	 * confirm did not come in time, while it is still awaited.
	 * @param attempt the message of the attempt
	 * @return the answer, or {@code null} if no such retry is awaited
	 */
	synchronized @Nullable CompletableFuture<Void> unconfirmed(TaskMessage attempt) {
		return this.unconfirmed.get(key(attempt));
	}

	private static String key(TaskMessage attempt) {
		return attempt.id() + "/" + attempt.headers().retries() + "/"
				+ attempt.headers().extra().get(TaskWorker.REFUSALS_HEADER);
	}

}
