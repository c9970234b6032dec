package io.celeriac.test.monitor;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import io.celeriac.monitor.TaskCursor;
import io.celeriac.monitor.TaskRecord;
import io.celeriac.monitor.TaskRecordStore;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The contract of a {@link TaskRecordStore}: a task is found as it was recorded, an
 * unknown one is not, and recording the same id again (a redelivery) keeps the first
 * record; searches read the newest first and page by keyset without duplicates or gaps,
 * even across tasks seen at the same instant; a task's children are found. Each backend's
 * test extends it. The tests may share a table: each one records its tasks at instants of
 * its own, in the past, and searches only those.
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

	@Test
	void searchReadsTheNewestFirstAndPagesWithoutDuplicatesOrGaps() {
		Instant base = uniqueInstant();
		String prefix = UUID.randomUUID().toString();
		List<TaskRecord> newestFirst = new ArrayList<>();
		// three tasks seen at the same instant: the id breaks the tie
		newestFirst.add(record(prefix + "-e", "reports.page", base.plusSeconds(30), null));
		newestFirst.add(record(prefix + "-d", "reports.page", base.plusSeconds(20), null));
		newestFirst.add(record(prefix + "-c", "reports.page", base.plusSeconds(20), null));
		newestFirst.add(record(prefix + "-b", "reports.page", base.plusSeconds(20), null));
		newestFirst.add(record(prefix + "-z", "reports.page", base.plusSeconds(10), null));
		newestFirst.add(record(prefix + "-a", "reports.page", base, null));
		for (int i = newestFirst.size() - 1; i >= 0; i--) {
			store().save(newestFirst.get(i));
		}
		Instant to = base.plusSeconds(60);
		assertThat(store().search(null, base, to, null, 100)).containsExactlyElementsOf(newestFirst);
		for (int size = 1; size <= 4; size++) {
			List<TaskRecord> read = new ArrayList<>();
			TaskCursor cursor = null;
			while (true) {
				List<TaskRecord> page = store().search(null, base, to, cursor, size);
				assertThat(page).hasSizeLessThanOrEqualTo(size);
				read.addAll(page);
				if (page.size() < size) {
					break;
				}
				TaskRecord last = page.get(page.size() - 1);
				cursor = new TaskCursor(last.seenAt(), last.taskId());
			}
			assertThat(read).as("pages of %d", size).containsExactlyElementsOf(newestFirst);
		}
		assertThat(store().search(null, base, to, new TaskCursor(base.plusSeconds(20), prefix + "-c"), 10))
			.containsExactlyElementsOf(newestFirst.subList(3, 6));
	}

	@Test
	void searchFiltersByNameAndSeenAtRange() {
		Instant base = uniqueInstant();
		String prefix = UUID.randomUUID().toString();
		TaskRecord first = record(prefix + "-1", "reports.generate", base, null);
		TaskRecord second = record(prefix + "-2", "exports.run", base.plusSeconds(60), null);
		TaskRecord third = record(prefix + "-3", "reports.generate", base.plusSeconds(120), null);
		TaskRecord fourth = record(prefix + "-4", "reports.generate", base.plusSeconds(180), null);
		List.of(first, second, third, fourth).forEach(store()::save);
		Instant end = base.plusSeconds(3600);
		assertThat(store().search("reports.generate", base, end, null, 10)).containsExactly(fourth, third, first);
		assertThat(store().search("exports.run", base, end, null, 10)).containsExactly(second);
		assertThat(store().search("reports.unknown", base, end, null, 10)).isEmpty();
		// from inclusive, to exclusive
		assertThat(store().search(null, base.plusSeconds(60), base.plusSeconds(180), null, 10)).containsExactly(third,
				second);
		assertThat(store().search("reports.generate", base.plusSeconds(60), base.plusSeconds(181), null, 10))
			.containsExactly(fourth, third);
		assertThat(store().search("reports.generate", base, end, null, 2)).containsExactly(fourth, third);
		assertThat(store().search("reports.generate", base, end, new TaskCursor(third.seenAt(), third.taskId()), 2))
			.containsExactly(first);
	}

	@Test
	void theChildrenOfATaskAreTheTasksItSentTheFirstSeenFirst() {
		Instant base = uniqueInstant();
		String parent = UUID.randomUUID().toString();
		TaskRecord second = record(UUID.randomUUID().toString(), "flow.step", base.plusSeconds(5), parent);
		TaskRecord first = record(UUID.randomUUID().toString(), "flow.step", base, parent);
		TaskRecord other = record(UUID.randomUUID().toString(), "flow.step", base, UUID.randomUUID().toString());
		List.of(second, first, other).forEach(store()::save);
		assertThat(store().children(parent, 10)).containsExactly(first, second);
		assertThat(store().children(parent, 1)).containsExactly(first);
		assertThat(store().children(UUID.randomUUID().toString(), 10)).isEmpty();
	}

	/**
	 * Returns an instant in the past, on a minute, that other tests are most unlikely to
	 * use, so that tests sharing a table search only their own tasks.
	 * @return the instant
	 */
	public static Instant uniqueInstant() {
		long minutes = ThreadLocalRandom.current().nextLong(20 * 365 * 24 * 60);
		return Instant.parse("1975-01-01T00:00:00Z").plus(minutes, ChronoUnit.MINUTES);
	}

	/**
	 * Builds a record with every field set, seen at a given time.
	 * @param id the task id
	 * @param name the task name
	 * @param seenAt when it was seen
	 * @param parentId the task that sent it, or {@code null}
	 * @return the record
	 */
	protected TaskRecord record(String id, String name, Instant seenAt, @Nullable String parentId) {
		TaskRecord record = record(id, name);
		return new TaskRecord(id, name, record.args(), record.kwargs(), record.routingKey(), record.eta(),
				record.expires(), parentId, record.rootId(), record.groupId(), record.retries(), record.origin(),
				seenAt);
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
