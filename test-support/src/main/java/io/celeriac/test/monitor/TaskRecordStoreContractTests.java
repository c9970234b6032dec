package io.celeriac.test.monitor;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import io.celeriac.monitor.TaskRecord;
import io.celeriac.monitor.TaskRecordStore;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The contract of a {@link TaskRecordStore}: a task is found as it was recorded, an
 * unknown one is not, and recording the same id again (a redelivery) keeps the first
 * record. Each backend's test extends it.
 *
 * @author Celeriac team
 */
public abstract class TaskRecordStoreContractTests {

	private final JsonMapper mapper = new JsonMapper();

	/**
	 * Returns the store under test.
	 * @return the store
	 */
	protected abstract TaskRecordStore store();

	@Test
	void aTaskIsFoundAsRecorded() {
		TaskRecord record = record(UUID.randomUUID().toString(), "reports.generate");
		store().save(record);
		assertThat(store().find(record.taskId())).contains(record);
	}

	@Test
	void anUnknownTaskIsNotFound() {
		assertThat(store().find(UUID.randomUUID().toString())).isEmpty();
	}

	@Test
	void aRedeliveredTaskKeepsItsFirstRecord() {
		String id = UUID.randomUUID().toString();
		TaskRecord first = record(id, "reports.generate");
		store().save(first);
		store().save(record(id, "reports.other"));
		assertThat(store().find(id)).contains(first);
	}

	@Test
	void theRecentTasksAreTheLastSeenFirst() {
		// seen in the far future, so that they are the newest of the table
		Instant seen = Instant.parse("2999-01-01T00:00:00Z");
		List<TaskRecord> records = new ArrayList<>();
		for (int i = 0; i < 3; i++) {
			TaskRecord record = record(UUID.randomUUID().toString(), "reports.recent" + i);
			records.add(new TaskRecord(record.taskId(), record.name(), record.args(), record.kwargs(),
					record.routingKey(), record.eta(), record.expires(), record.parentId(), record.rootId(),
					record.groupId(), record.retries(), record.origin(), seen.plusSeconds(i)));
		}
		records.forEach(store()::save);
		assertThat(store().recent(2)).containsExactly(records.get(2), records.get(1));
		assertThat(store().recent(0)).isEmpty();
	}

	/**
	 * Builds a record with every field set.
	 * @param id the task id
	 * @param name the task name
	 * @return the record
	 */
	protected TaskRecord record(String id, String name) {
		return new TaskRecord(id, name, json("[42, \"x\"]"), json("{\"fmt\": \"csv\"}"), "reports",
				"2026-11-23T10:00:00+00:00", "2026-11-23T11:00:00+00:00", "parent-1", "root-1", "group-1", 2,
				"gen1@host", Instant.now().truncatedTo(ChronoUnit.MILLIS));
	}

	private JsonNode json(String text) {
		return this.mapper.readTree(text);
	}

}
