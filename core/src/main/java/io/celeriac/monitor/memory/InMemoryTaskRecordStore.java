package io.celeriac.monitor.memory;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import io.celeriac.monitor.TaskRecord;
import io.celeriac.monitor.TaskRecordStore;

/**
 * A task table inside one JVM, for tests and applications without a database.
 *
 * @author Celeriac team
 */
public class InMemoryTaskRecordStore implements TaskRecordStore {

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
		return this.records.values()
			.stream()
			.sorted(Comparator.comparing(TaskRecord::seenAt).reversed().thenComparing(TaskRecord::taskId))
			.limit(limit)
			.toList();
	}

}
