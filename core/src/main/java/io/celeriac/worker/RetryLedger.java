package io.celeriac.worker;

import java.util.LinkedHashMap;
import java.util.Map;

import io.celeriac.protocol.TaskMessage;

/**
 * Remembers the attempts whose retry message this worker has published (an attempt is a
 * task id with its {@code retries} count and refusal count), so that a redelivery of an
 * attempt whose retry was sent (its acknowledgement was lost) is acknowledged without
 * running the task again or publishing a second retry. Bounded: the oldest attempts are
 * forgotten first.
 *
 * @author Celeriac team
 */
final class RetryLedger {

	private final Map<String, Boolean> sent;

	RetryLedger(int capacity) {
		this.sent = new LinkedHashMap<>(16, 0.75f, false) {

			@Override
			protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
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

	private static String key(TaskMessage attempt) {
		return attempt.id() + "/" + attempt.headers().retries() + "/"
				+ attempt.headers().extra().get(TaskWorker.REFUSALS_HEADER);
	}

}
