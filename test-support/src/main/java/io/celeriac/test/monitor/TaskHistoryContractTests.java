package io.celeriac.test.monitor;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import io.celeriac.monitor.TaskCursor;
import io.celeriac.monitor.TaskDetail;
import io.celeriac.monitor.TaskHistory;
import io.celeriac.monitor.TaskPage;
import io.celeriac.monitor.TaskQuery;
import io.celeriac.monitor.TaskRecord;
import io.celeriac.monitor.TaskRecordStore;
import io.celeriac.monitor.TaskSummary;
import io.celeriac.monitor.TaskTimeline;
import io.celeriac.result.ResultStore;
import io.celeriac.result.TaskFailure;
import io.celeriac.result.TaskResult;
import io.celeriac.result.TaskState;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The contract of a {@link TaskHistory}: searches read the most recently seen tasks
 * first, page by keyset without duplicates or gaps (also across tasks seen at the same
 * instant), and filter by id, name, state and seen-at range; a task without a result is
 * {@link TaskState#PENDING}; a task's detail has its record, its result and its children;
 * the timeline counts tasks per minute and state. A search by state may examine a bounded
 * number of tasks, returning a short page (even an empty one) whose cursor goes on after
 * the last task examined. Each implementation's test extends it, giving the history and
 * the stores it reads, into which the tests write.
 * <p>
 * The tests may share tables: each records its tasks at instants of its own, in the past
 * ({@link TaskRecordStoreContractTests#uniqueInstant()}), and searches only those.
 *
 * @author Celeriac team
 */
public abstract class TaskHistoryContractTests {

	private final JsonMapper mapper = new JsonMapper();

	/**
	 * Returns the history under test.
	 * @return the history
	 */
	protected abstract TaskHistory history();

	/**
	 * Returns a history over the same stores that examines at most the given number of
	 * tasks when it searches by state.
	 * @param stateScanLimit the most tasks a search by state examines
	 * @return the history
	 */
	protected abstract TaskHistory history(int stateScanLimit);

	/**
	 * Returns the task table the history reads.
	 * @return the task records
	 */
	protected abstract TaskRecordStore records();

	/**
	 * Returns the result store the history reads.
	 * @return the results
	 */
	protected abstract ResultStore results();

	@Test
	void aSearchReadsTheNewestFirstWithEachTaskState() {
		Instant base = TaskRecordStoreContractTests.uniqueInstant();
		String prefix = UUID.randomUUID().toString();
		TaskRecord succeeded = record(prefix + "-1", "reports.generate", base, null);
		TaskRecord failed = record(prefix + "-2", "reports.generate", base.plusSeconds(1), null);
		TaskRecord started = record(prefix + "-3", "reports.generate", base.plusSeconds(2), null);
		TaskRecord pending = record(prefix + "-4", "reports.generate", base.plusSeconds(3), null);
		List.of(succeeded, failed, started, pending).forEach(records()::save);
		results().save(result(succeeded.taskId(), TaskState.SUCCESS, base.plusSeconds(10)));
		results().save(result(failed.taskId(), TaskState.FAILURE, base.plusSeconds(11)));
		results().save(result(started.taskId(), TaskState.STARTED, null));
		TaskPage page = history().search(window(base, 10));
		assertThat(page.next()).isNull();
		assertThat(page.tasks()).extracting(TaskSummary::taskId)
			.containsExactly(pending.taskId(), started.taskId(), failed.taskId(), succeeded.taskId());
		assertThat(page.tasks()).extracting(TaskSummary::state)
			.containsExactly(TaskState.PENDING, TaskState.STARTED, TaskState.FAILURE, TaskState.SUCCESS);
		TaskSummary summary = page.tasks().get(3);
		assertThat(summary.name()).isEqualTo("reports.generate");
		assertThat(summary.routingKey()).isEqualTo("reports");
		assertThat(summary.seenAt()).isEqualTo(base);
		assertThat(summary.retries()).isEqualTo(2);
		assertThat(summary.dateDone()).isEqualTo(base.plusSeconds(10));
		assertThat(summary.worker()).isEqualTo("worker@host");
		assertThat(summary.cursor()).isEqualTo(new TaskCursor(base, succeeded.taskId()));
		assertThat(page.tasks().get(0).dateDone()).isNull();
		assertThat(page.tasks().get(0).worker()).as("a task without a result has no worker").isNull();
	}

	@Test
	void pagesFollowEachOtherWithoutDuplicatesOrGapsAcrossTasksSeenAtTheSameInstant() {
		Instant base = TaskRecordStoreContractTests.uniqueInstant();
		String prefix = UUID.randomUUID().toString();
		List<String> newestFirst = new ArrayList<>();
		for (int second = 4; second >= 0; second--) {
			// three tasks per instant: the id orders them
			for (char suffix = 'c'; suffix >= 'a'; suffix--) {
				String id = prefix + "-" + second + suffix;
				records().save(record(id, "reports.page", base.plusSeconds(second), null));
				newestFirst.add(id);
			}
		}
		for (int size = 1; size <= 7; size++) {
			assertThat(readAll(window(base, size))).as("pages of %d", size).containsExactlyElementsOf(newestFirst);
		}
		TaskPage first = history().search(window(base, 4));
		assertThat(first.next()).isEqualTo(first.tasks().get(3).cursor());
		TaskPage second = history().search(window(base, 4).after(TaskCursor.parse(first.next().token())));
		assertThat(second.tasks()).extracting(TaskSummary::taskId).containsExactlyElementsOf(newestFirst.subList(4, 8));
		// the last page is full: no empty page follows
		TaskPage last = history().search(window(base, 3).after(new TaskCursor(base, prefix + "-0c")));
		assertThat(last.tasks()).hasSize(2);
		assertThat(last.next()).isNull();
		TaskPage exact = history().search(window(base, 15));
		assertThat(exact.tasks()).hasSize(15);
		assertThat(exact.next()).isNull();
	}

	@Test
	void aSearchFiltersById() {
		Instant base = TaskRecordStoreContractTests.uniqueInstant();
		TaskRecord record = record(UUID.randomUUID().toString(), "reports.generate", base, null);
		records().save(record);
		records().save(record(UUID.randomUUID().toString(), "reports.generate", base, null));
		results().save(result(record.taskId(), TaskState.FAILURE, base.plusSeconds(1)));
		TaskQuery byId = new TaskQuery(record.taskId(), null, null, null, null, null, 10);
		TaskPage page = history().search(byId);
		assertThat(page.tasks()).extracting(TaskSummary::taskId).containsExactly(record.taskId());
		assertThat(page.tasks().get(0).state()).isEqualTo(TaskState.FAILURE);
		assertThat(page.next()).isNull();
		assertThat(history()
			.search(new TaskQuery(record.taskId(), "reports.generate", TaskState.FAILURE, base, base.plusSeconds(1),
					null, 10))
			.tasks()).hasSize(1);
		assertThat(history().search(new TaskQuery(record.taskId(), "exports.run", null, null, null, null, 10)).tasks())
			.isEmpty();
		assertThat(
				history().search(new TaskQuery(record.taskId(), null, TaskState.SUCCESS, null, null, null, 10)).tasks())
			.isEmpty();
		assertThat(history().search(new TaskQuery(record.taskId(), null, null, base.plusSeconds(1), null, null, 10))
			.tasks()).isEmpty();
		assertThat(
				history().search(new TaskQuery(UUID.randomUUID().toString(), null, null, null, null, null, 10)).tasks())
			.isEmpty();
	}

	@Test
	void aSearchFiltersByNameAndSeenAtRange() {
		Instant base = TaskRecordStoreContractTests.uniqueInstant();
		String prefix = UUID.randomUUID().toString();
		records().save(record(prefix + "-1", "reports.generate", base, null));
		records().save(record(prefix + "-2", "exports.run", base.plusSeconds(60), null));
		records().save(record(prefix + "-3", "reports.generate", base.plusSeconds(120), null));
		records().save(record(prefix + "-4", "reports.generate", base.plusSeconds(180), null));
		Instant end = base.plusSeconds(3600);
		assertThat(ids(new TaskQuery(null, "reports.generate", null, base, end, null, 10)))
			.containsExactly(prefix + "-4", prefix + "-3", prefix + "-1");
		assertThat(ids(new TaskQuery(null, "exports.run", null, base, end, null, 10))).containsExactly(prefix + "-2");
		// from inclusive, to exclusive
		assertThat(ids(new TaskQuery(null, null, null, base.plusSeconds(60), base.plusSeconds(180), null, 10)))
			.containsExactly(prefix + "-3", prefix + "-2");
		assertThat(readAll(new TaskQuery(null, "reports.generate", null, base, end, null, 1)))
			.containsExactly(prefix + "-4", prefix + "-3", prefix + "-1");
	}

	@Test
	void aSearchFiltersByStateAndPendingMeansWithoutAResult() {
		Instant base = TaskRecordStoreContractTests.uniqueInstant();
		String prefix = UUID.randomUUID().toString();
		List<String> failures = new ArrayList<>();
		List<String> successes = new ArrayList<>();
		List<String> pending = new ArrayList<>();
		for (int i = 29; i >= 0; i--) {
			String id = prefix + "-" + ((i < 10) ? "0" + i : i);
			// two tasks per instant
			records().save(record(id, (i % 2 == 0) ? "flow.even" : "flow.odd", base.plusSeconds(i / 2), null));
			if (i % 10 == 3) {
				results().save(result(id, TaskState.FAILURE, base.plusSeconds(100)));
				failures.add(id);
			}
			else if (i % 3 == 0) {
				pending.add(id);
			}
			else {
				results().save(result(id, TaskState.SUCCESS, base.plusSeconds(100)));
				successes.add(id);
			}
		}
		assertThat(readAll(window(base, 10, TaskState.FAILURE))).containsExactlyElementsOf(failures);
		assertThat(readAll(window(base, 2, TaskState.FAILURE))).containsExactlyElementsOf(failures);
		assertThat(readAll(window(base, 4, TaskState.SUCCESS))).containsExactlyElementsOf(successes);
		assertThat(readAll(window(base, 3, TaskState.PENDING))).containsExactlyElementsOf(pending);
		assertThat(readAll(window(base, 10, TaskState.REVOKED))).isEmpty();
		TaskPage page = history().search(window(base, 3, TaskState.FAILURE));
		assertThat(page.tasks()).extracting(TaskSummary::taskId).containsExactlyElementsOf(failures);
		assertThat(page.tasks()).allSatisfy((task) -> assertThat(task.state()).isEqualTo(TaskState.FAILURE));
		assertThat(page.next()).isNull();
		assertThat(ids(new TaskQuery(null, "flow.odd", TaskState.FAILURE, base, base.plusSeconds(3600), null, 10)))
			.containsExactlyElementsOf(failures);
		assertThat(ids(new TaskQuery(null, "flow.even", TaskState.FAILURE, base, base.plusSeconds(3600), null, 10)))
			.isEmpty();
	}

	@Test
	void aTasksDetailHasItsRecordResultAndChildren() {
		Instant base = TaskRecordStoreContractTests.uniqueInstant();
		TaskRecord parent = record(UUID.randomUUID().toString(), "flow.start", base, null);
		TaskRecord second = record(UUID.randomUUID().toString(), "flow.step", base.plusSeconds(2), parent.taskId());
		TaskRecord first = record(UUID.randomUUID().toString(), "flow.step", base.plusSeconds(1), parent.taskId());
		TaskRecord grandchild = record(UUID.randomUUID().toString(), "flow.step", base.plusSeconds(3), first.taskId());
		List.of(parent, second, first, grandchild).forEach(records()::save);
		TaskResult failure = new TaskResult(parent.taskId(), TaskState.FAILURE, null,
				new TaskFailure("ValueError", "builtins", "bad input", "Traceback (most recent call last):\n  boom"),
				"flow.start", json("[1]"), json("{}"), "worker@host", 0, "flow", base.plusSeconds(5));
		results().save(failure);
		results().save(result(first.taskId(), TaskState.SUCCESS, base.plusSeconds(6)));
		TaskDetail detail = history().find(parent.taskId()).orElseThrow();
		assertThat(detail.taskId()).isEqualTo(parent.taskId());
		assertThat(detail.record()).isEqualTo(records().find(parent.taskId()).orElseThrow());
		assertThat(detail.result()).isEqualTo(results().find(parent.taskId()).orElseThrow());
		assertThat(detail.result().failure().traceback()).contains("boom");
		assertThat(detail.children()).extracting(TaskSummary::taskId).containsExactly(first.taskId(), second.taskId());
		assertThat(detail.children()).extracting(TaskSummary::state)
			.containsExactly(TaskState.SUCCESS, TaskState.PENDING);
		TaskDetail child = history().find(first.taskId()).orElseThrow();
		assertThat(child.record().parentId()).isEqualTo(parent.taskId());
		assertThat(child.children()).extracting(TaskSummary::taskId).containsExactly(grandchild.taskId());
		TaskDetail leaf = history().find(second.taskId()).orElseThrow();
		assertThat(leaf.result()).isNull();
		assertThat(leaf.children()).isEmpty();
	}

	@Test
	void aTaskKnownOnlyToTheResultStoreHasADetailWithoutRecord() {
		String id = UUID.randomUUID().toString();
		results().save(result(id, TaskState.SUCCESS, Instant.now().truncatedTo(ChronoUnit.MILLIS)));
		TaskDetail detail = history().find(id).orElseThrow();
		assertThat(detail.record()).isNull();
		assertThat(detail.result().state()).isEqualTo(TaskState.SUCCESS);
		assertThat(detail.children()).isEmpty();
	}

	@Test
	void anUnknownTaskHasNoDetail() {
		assertThat(history().find(UUID.randomUUID().toString())).isEmpty();
	}

	@Test
	void theTimelineCountsTasksPerMinuteAndState() {
		Instant base = TaskRecordStoreContractTests.uniqueInstant();
		String prefix = UUID.randomUUID().toString();
		// minute 0: 2 SUCCESS, 1 FAILURE; minute 1: nothing; minute 2: 1 SUCCESS, 2
		// PENDING
		save(prefix + "-a", base.plusSeconds(1), TaskState.SUCCESS);
		save(prefix + "-b", base.plusSeconds(59), TaskState.SUCCESS);
		save(prefix + "-c", base.plusSeconds(30), TaskState.FAILURE);
		save(prefix + "-d", base.plusSeconds(120), TaskState.SUCCESS);
		save(prefix + "-e", base.plusSeconds(150), null);
		save(prefix + "-f", base.plusSeconds(179), null);
		// before the period
		save(prefix + "-g", base.minusSeconds(1), TaskState.FAILURE);
		TaskTimeline timeline = history().timeline(base);
		assertThat(timeline.since()).isEqualTo(base);
		List<TaskTimeline.Minute> minutes = timeline.minutes()
			.stream()
			.filter((minute) -> minute.start().isBefore(base.plusSeconds(3600)))
			.toList();
		assertThat(minutes).containsExactly(
				new TaskTimeline.Minute(base, Map.of(TaskState.SUCCESS, 2L, TaskState.FAILURE, 1L)),
				new TaskTimeline.Minute(base.plusSeconds(120), Map.of(TaskState.SUCCESS, 1L, TaskState.PENDING, 2L)));
		for (int i = 1; i < timeline.minutes().size(); i++) {
			assertThat(timeline.minutes().get(i).start()).isAfter(timeline.minutes().get(i - 1).start());
		}
	}

	@Test
	void theTimelineOfTheLastHourFollowsTasksAsTheyFinishAndArrive() {
		Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
		String prefix = UUID.randomUUID().toString();
		Instant old = now.minus(Duration.ofMinutes(40));
		Instant recent = now.minus(Duration.ofMinutes(2));
		save(prefix + "-a", old, TaskState.SUCCESS);
		save(prefix + "-b", old, TaskState.FAILURE);
		save(prefix + "-c", recent, TaskState.STARTED);
		save(prefix + "-d", now, null);
		Instant since = now.minus(Duration.ofHours(1));
		Map<Instant, Map<TaskState, Long>> expected = new HashMap<>();
		expected.put(minute(old), Map.of(TaskState.SUCCESS, 1L, TaskState.FAILURE, 1L));
		expected.put(minute(recent), Map.of(TaskState.STARTED, 1L));
		expected.put(minute(now), Map.of(TaskState.PENDING, 1L));
		assertThat(timelineOf(since, prefix)).isEqualTo(expected);
		// asked again, as a dashboard does, while tasks finish and arrive
		results().save(result(prefix + "-c", TaskState.SUCCESS, Instant.now()));
		Instant later = Instant.now().truncatedTo(ChronoUnit.MILLIS);
		save(prefix + "-e", later, TaskState.SUCCESS);
		expected.put(minute(recent), Map.of(TaskState.SUCCESS, 1L));
		expected.merge(minute(later), Map.of(TaskState.SUCCESS, 1L), (before, added) -> {
			Map<TaskState, Long> both = new HashMap<>(before);
			added.forEach((state, count) -> both.merge(state, count, Long::sum));
			return both;
		});
		assertThat(timelineOf(since, prefix)).isEqualTo(expected);
		assertThat(timelineOf(since, prefix)).isEqualTo(expected);
	}

	private Map<Instant, Map<TaskState, Long>> timelineOf(Instant since, String prefix) {
		// other tests may record tasks of their own in the last hour: only this test's
		// minutes are compared, with their counts of this test's tasks
		Set<Instant> own = new HashSet<>();
		for (String suffix : List.of("a", "b", "c", "d", "e")) {
			records().find(prefix + "-" + suffix).ifPresent((record) -> own.add(minute(record.seenAt())));
		}
		Map<Instant, Map<TaskState, Long>> counts = new HashMap<>();
		history().timeline(since)
			.minutes()
			.stream()
			.filter((minute) -> own.contains(minute.start()))
			.forEach((minute) -> counts.put(minute.start(), minute.counts()));
		return counts;
	}

	private static Instant minute(Instant instant) {
		return instant.truncatedTo(ChronoUnit.MINUTES);
	}

	@Test
	void aSearchByStateExaminesAtMostTheScanLimitAndGoesOnFromWhereItStopped() {
		TaskHistory bounded = history(5);
		Instant base = TaskRecordStoreContractTests.uniqueInstant();
		String prefix = UUID.randomUUID().toString();
		for (int i = 0; i < 12; i++) {
			String id = prefix + "-" + ((i < 10) ? "0" + i : i);
			records().save(record(id, "reports.generate", base.plusSeconds(i), null));
			results().save(result(id, (i == 2) ? TaskState.FAILURE : TaskState.SUCCESS, base.plusSeconds(20)));
		}
		TaskQuery failures = new TaskQuery(null, null, TaskState.FAILURE, base, base.plusSeconds(60), null, 10);
		// newest first: 11 to 7 examined, none failed
		TaskPage first = bounded.search(failures);
		assertThat(first.tasks()).isEmpty();
		assertThat(first.next()).isNotNull();
		assertThat(first.next().taskId()).isEqualTo(prefix + "-07");
		TaskPage second = bounded.search(failures.after(first.next()));
		assertThat(second.tasks()).extracting(TaskSummary::taskId).containsExactly(prefix + "-02");
		// 6 to 2 examined: the limit is reached again before the end
		assertThat(second.next().taskId()).isEqualTo(prefix + "-02");
		TaskPage third = bounded.search(failures.after(second.next()));
		assertThat(third.tasks()).isEmpty();
		assertThat(third.next()).isNull();
		assertThat(readAll(bounded, failures)).containsExactly(prefix + "-02");
		assertThat(readAll(bounded, new TaskQuery(null, null, TaskState.FAILURE, base, base.plusSeconds(60), null, 1)))
			.containsExactly(prefix + "-02");
	}

	private void save(String id, Instant seenAt, @Nullable TaskState state) {
		records().save(record(id, "timeline.task", seenAt, null));
		if (state != null) {
			results().save(result(id, state, seenAt.plusSeconds(1)));
		}
	}

	/**
	 * Reads every page of a query, checking that no task comes twice.
	 * @param query the query
	 * @return the task ids, in the order read
	 */
	protected List<String> readAll(TaskQuery query) {
		return readAll(history(), query);
	}

	/**
	 * Reads every page of a query, checking that no task comes twice.
	 * @param history the history to read
	 * @param query the query
	 * @return the task ids, in the order read
	 */
	protected List<String> readAll(TaskHistory history, TaskQuery query) {
		List<String> ids = new ArrayList<>();
		Set<String> seen = new HashSet<>();
		TaskCursor cursor = null;
		for (int pages = 0; pages < 1000; pages++) {
			TaskPage page = history.search(query.after(cursor));
			assertThat(page.tasks()).hasSizeLessThanOrEqualTo(query.limit());
			for (TaskSummary task : page.tasks()) {
				assertThat(seen.add(task.taskId())).as("%s read twice", task.taskId()).isTrue();
				ids.add(task.taskId());
			}
			if (page.next() == null) {
				return ids;
			}
			cursor = page.next();
		}
		throw new AssertionError("More than 1000 pages");
	}

	private List<String> ids(TaskQuery query) {
		return history().search(query).tasks().stream().map(TaskSummary::taskId).toList();
	}

	private static TaskQuery window(Instant base, int limit) {
		return window(base, limit, null);
	}

	private static TaskQuery window(Instant base, int limit, @Nullable TaskState state) {
		return new TaskQuery(null, null, state, base, base.plusSeconds(3600), null, limit);
	}

	/**
	 * Builds a record seen at a given time.
	 * @param id the task id
	 * @param name the task name
	 * @param seenAt when it was seen
	 * @param parentId the task that sent it, or {@code null}
	 * @return the record
	 */
	protected TaskRecord record(String id, String name, Instant seenAt, @Nullable String parentId) {
		return new TaskRecord(id, name, json("[42, \"x\"]"), json("{\"fmt\": \"csv\"}"), "reports", null, null,
				parentId, (parentId != null) ? parentId : id, null, 2, "gen1@host", seenAt);
	}

	/**
	 * Builds a result.
	 * @param id the task id
	 * @param state the state
	 * @param dateDone when it was recorded, {@code null} while started
	 * @return the result
	 */
	protected TaskResult result(String id, TaskState state, @Nullable Instant dateDone) {
		TaskFailure failure = (state == TaskState.FAILURE)
				? new TaskFailure("ValueError", "builtins", "bad", "Traceback (most recent call last):\n  bad") : null;
		JsonNode value = (state == TaskState.SUCCESS) ? json("{\"rows\": 3}") : null;
		return new TaskResult(id, state, value, failure, "reports.generate", json("[42]"), json("{}"), "worker@host", 0,
				"reports", dateDone);
	}

	private JsonNode json(String text) {
		return this.mapper.readTree(text);
	}

}
