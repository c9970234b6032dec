package io.celeriac.monitor.memory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

import io.celeriac.monitor.TaskCursor;
import io.celeriac.monitor.TaskRecord;
import io.celeriac.monitor.TaskRecordStore;
import org.jspecify.annotations.Nullable;

/**
 * A task table inside one JVM, for tests and applications without a database. Its queries
 * scan every record, which suits the modest number of tasks one process keeps in memory.
 * It is bounded: a record expires a while after it was saved, and beyond the most entries
 * the one saved longest ago is evicted first.
 *
 * @author Celeriac team
 */
public class InMemoryTaskRecordStore implements TaskRecordStore {

	/**
	 * The default most records kept.
	 */
	public static final int DEFAULT_MAX_ENTRIES = 100_000;

	/**
	 * The default time a record is kept.
	 */
	public static final Duration DEFAULT_EXPIRES = Duration.ofDays(1);

	private static final Comparator<TaskRecord> NEWEST_FIRST = Comparator.comparing(TaskRecord::seenAt)
		.thenComparing(TaskRecord::taskId)
		.reversed();

	private final Duration expires;

	private final int maxEntries;

	private final Clock clock;

	// in the order the records were saved, oldest first
	private final LinkedHashMap<String, Entry> records = new LinkedHashMap<>();

	/**
	 * Creates a table that keeps a record for a day and at most 100,000 records.
	 */
	public InMemoryTaskRecordStore() {
		this(DEFAULT_EXPIRES, DEFAULT_MAX_ENTRIES);
	}

	/**
	 * Creates a table.
	 * @param expires how long a record is kept after it was saved
	 * @param maxEntries the most records kept
	 */
	public InMemoryTaskRecordStore(Duration expires, int maxEntries) {
		this(expires, maxEntries, Clock.systemUTC());
	}

	/**
	 * Creates a table on the given clock.
	 * @param expires how long a record is kept after it was saved
	 * @param maxEntries the most records kept
	 * @param clock the clock
	 */
	public InMemoryTaskRecordStore(Duration expires, int maxEntries, Clock clock) {
		if (maxEntries < 1) {
			throw new IllegalArgumentException(
					"celeriac.monitor.memory-max-entries must be at least 1, not " + maxEntries);
		}
		if (expires.isNegative() || expires.isZero()) {
			throw new IllegalArgumentException("celeriac.result.expires must be positive, not " + expires);
		}
		this.expires = expires;
		this.maxEntries = maxEntries;
		this.clock = clock;
	}

	@Override
	public synchronized void save(TaskRecord record) {
		Instant now = this.clock.instant();
		Entry existing = this.records.get(record.taskId());
		if (existing != null && existing.expiresAt().isAfter(now)) {
			return;
		}
		this.records.remove(record.taskId());
		this.records.put(record.taskId(), new Entry(record, now.plus(this.expires)));
		Iterator<Map.Entry<String, Entry>> oldest = this.records.entrySet().iterator();
		while (oldest.hasNext()) {
			Entry entry = oldest.next().getValue();
			if (this.records.size() > this.maxEntries || !entry.expiresAt().isAfter(now)) {
				oldest.remove();
			}
			else {
				break;
			}
		}
	}

	@Override
	public synchronized Optional<TaskRecord> find(String taskId) {
		Entry entry = this.records.get(taskId);
		return (entry != null && entry.expiresAt().isAfter(this.clock.instant())) ? Optional.of(entry.record())
				: Optional.empty();
	}

	/**
	 * Returns how many records are kept, expired ones not yet dropped included.
	 * @return the number of entries
	 */
	public synchronized int size() {
		return this.records.size();
	}

	@Override
	public List<TaskRecord> recent(int limit) {
		return live((record) -> true).stream().sorted(NEWEST_FIRST).limit(limit).toList();
	}

	@Override
	public List<TaskRecord> search(@Nullable String name, @Nullable Instant seenFrom, @Nullable Instant seenTo,
			@Nullable TaskCursor after, int limit) {
		return live((record) -> (name == null || name.equals(record.name()))
				&& (seenFrom == null || !record.seenAt().isBefore(seenFrom))
				&& (seenTo == null || record.seenAt().isBefore(seenTo))
				&& (after == null || after.precedes(record.seenAt(), record.taskId())))
			.stream()
			.sorted(NEWEST_FIRST)
			.limit(limit)
			.toList();
	}

	@Override
	public List<TaskRecord> children(String parentId, int limit) {
		return live((record) -> parentId.equals(record.parentId())).stream()
			.sorted(NEWEST_FIRST.reversed())
			.limit(limit)
			.toList();
	}

	private synchronized List<TaskRecord> live(Predicate<TaskRecord> filter) {
		Instant now = this.clock.instant();
		List<TaskRecord> found = new ArrayList<>();
		for (Entry entry : this.records.values()) {
			if (entry.expiresAt().isAfter(now) && filter.test(entry.record())) {
				found.add(entry.record());
			}
		}
		return found;
	}

	private record Entry(TaskRecord record, Instant expiresAt) {

	}

}
