package io.celeriac.result.memory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import io.celeriac.result.ResultStore;
import io.celeriac.result.TaskResult;

/**
 * A result store inside one JVM; results are lost with it. Suits one process that both
 * sends and runs its tasks, and tests. It is bounded: a result expires a while after it
 * was last recorded (as Celery's result_expires), and beyond the most entries the one
 * recorded longest ago is evicted first.
 *
 * @author Celeriac team
 */
public class InMemoryResultStore implements ResultStore {

	/**
	 * The default most results kept.
	 */
	public static final int DEFAULT_MAX_ENTRIES = 100_000;

	/**
	 * The default time a result is kept, as Celery's result_expires.
	 */
	public static final Duration DEFAULT_EXPIRES = Duration.ofDays(1);

	private final Duration expires;

	private final int maxEntries;

	private final Clock clock;

	// in the order the results were last recorded, oldest first
	private final LinkedHashMap<String, Entry> results = new LinkedHashMap<>();

	/**
	 * Creates a store that keeps a result for a day and at most 100,000 results.
	 */
	public InMemoryResultStore() {
		this(DEFAULT_EXPIRES, DEFAULT_MAX_ENTRIES);
	}

	/**
	 * Creates a store.
	 * @param expires how long a result is kept after it was last recorded
	 * @param maxEntries the most results kept
	 */
	public InMemoryResultStore(Duration expires, int maxEntries) {
		this(expires, maxEntries, Clock.systemUTC());
	}

	/**
	 * Creates a store on the given clock.
	 * @param expires how long a result is kept after it was last recorded
	 * @param maxEntries the most results kept
	 * @param clock the clock
	 */
	public InMemoryResultStore(Duration expires, int maxEntries, Clock clock) {
		if (maxEntries < 1) {
			throw new IllegalArgumentException(
					"celeriac.result.memory-max-entries must be at least 1, not " + maxEntries);
		}
		if (expires.isNegative() || expires.isZero()) {
			throw new IllegalArgumentException("celeriac.result.expires must be positive, not " + expires);
		}
		this.expires = expires;
		this.maxEntries = maxEntries;
		this.clock = clock;
	}

	@Override
	public synchronized void save(TaskResult result) {
		put(result);
	}

	@Override
	public synchronized boolean saveUnlessFinal(TaskResult result) {
		Optional<TaskResult> recorded = find(result.taskId());
		if (recorded.isPresent() && recorded.get().state().isFinal()) {
			return false;
		}
		put(result);
		return true;
	}

	@Override
	public synchronized Optional<TaskResult> find(String taskId) {
		Entry entry = this.results.get(taskId);
		if (entry == null || !entry.expiresAt().isAfter(this.clock.instant())) {
			return Optional.empty();
		}
		return Optional.of(entry.result());
	}

	/**
	 * Returns how many results are kept, expired ones not yet dropped included.
	 * @return the number of entries
	 */
	public synchronized int size() {
		return this.results.size();
	}

	private void put(TaskResult result) {
		Instant now = this.clock.instant();
		// re-inserted, so that the order stays that of the last recording
		this.results.remove(result.taskId());
		this.results.put(result.taskId(), new Entry(result, now.plus(this.expires)));
		Iterator<Map.Entry<String, Entry>> oldest = this.results.entrySet().iterator();
		while (oldest.hasNext()) {
			Entry entry = oldest.next().getValue();
			if (this.results.size() > this.maxEntries || !entry.expiresAt().isAfter(now)) {
				oldest.remove();
			}
			else {
				break;
			}
		}
	}

	private record Entry(TaskResult result, Instant expiresAt) {

	}

}
