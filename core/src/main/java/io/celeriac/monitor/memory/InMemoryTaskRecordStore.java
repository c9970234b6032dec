package io.celeriac.monitor.memory;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import io.celeriac.monitor.TaskCursor;
import io.celeriac.monitor.TaskRecord;
import io.celeriac.monitor.TaskRecordStore;
import org.jspecify.annotations.Nullable;

/**
 * A task table inside one JVM, for tests and applications without a database. Its queries
 * scan every record, which suits the modest number of tasks one process keeps in memory.
 *
 * @author Celeriac team
 */
public class InMemoryTaskRecordStore implements TaskRecordStore {

	private static final Comparator<TaskRecord> NEWEST_FIRST = Comparator.comparing(TaskRecord::seenAt)
		.thenComparing(TaskRecord::taskId)
		.reversed();

	private final Map<String, TaskRecord> records = new ConcurrentHashMap<>();

	@Override
	public void save(TaskRecord record) {
		this.records.putIfAbsent(record.taskId(), record);
	}

	@Override
	public Optional<TaskRecord> find(String taskId) {
		return Optional.ofNullable(this.records.get(taskId));
	}

	@Override
	public List<TaskRecord> recent(int limit) {
		return this.records.values().stream().sorted(NEWEST_FIRST).limit(limit).toList();
	}

	@Override
	public List<TaskRecord> search(@Nullable String name, @Nullable Instant seenFrom, @Nullable Instant seenTo,
			@Nullable TaskCursor after, int limit) {
		return this.records.values()
			.stream()
			.filter((record) -> name == null || name.equals(record.name()))
			.filter((record) -> seenFrom == null || !record.seenAt().isBefore(seenFrom))
			.filter((record) -> seenTo == null || record.seenAt().isBefore(seenTo))
			.filter((record) -> after == null || after.precedes(record.seenAt(), record.taskId()))
			.sorted(NEWEST_FIRST)
			.limit(limit)
			.toList();
	}

	@Override
	public List<TaskRecord> children(String parentId, int limit) {
		return this.records.values()
			.stream()
			.filter((record) -> parentId.equals(record.parentId()))
			.sorted(NEWEST_FIRST.reversed())
			.limit(limit)
			.toList();
	}

}
