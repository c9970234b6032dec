package io.celeriac.monitor;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import io.celeriac.result.ResultStore;
import io.celeriac.result.TaskResult;
import io.celeriac.result.TaskState;
import org.jspecify.annotations.Nullable;

/**
 * A {@link TaskHistory} over any {@link TaskRecordStore} and any {@link ResultStore}, for
 * every combination of stores (in memory; the monitor's table in a database with results
 * in Redis): the records come from the task table, newest first and by keyset, and each
 * one's state from the {@link ResultStore} ({@link TaskState#PENDING} when no result is
 * recorded).
 * <p>
 * The result store cannot be searched by state, so a search with a
 * {@link TaskQuery#state() state} reads records page by page and keeps those in that
 * state, examining at most {@link #getStateScanLimit() the state scan limit} records
 * (10,000 unless configured otherwise) per search. When the limit is reached first, the
 * page holds fewer tasks than asked, possibly none, and its {@link TaskPage#next() next}
 * cursor points after the last record examined, so that the next page goes on from there.
 * Likewise the {@link #timeline(Instant) timeline} counts at most the
 * {@link #getTimelineLimit() timeline limit} (100,000) most recently seen tasks of each
 * period it counts (a {@link TimelineCache} remembers the minutes that can no longer
 * change, so that asking for the last hour every few seconds counts only its last
 * minutes), and a task's detail lists at most {@link #MAX_CHILDREN} children. The states
 * of up to 500 tasks at a time are read with {@link ResultStore#findAll}, which the Redis
 * and JDBC stores answer in a round trip or a few. When the monitor's table and Celery's
 * result table share a database, {@code JdbcTaskHistory} answers each search and timeline
 * with one query.
 *
 * @author Celeriac team
 */
public class CompositeTaskHistory implements TaskHistory {

	/**
	 * The most records a search with a state examines, unless configured otherwise.
	 */
	public static final int DEFAULT_STATE_SCAN_LIMIT = 10_000;

	/**
	 * The most records the timeline counts, unless configured otherwise.
	 */
	public static final int DEFAULT_TIMELINE_LIMIT = 100_000;

	/**
	 * The most children a task's detail lists.
	 */
	public static final int MAX_CHILDREN = 1_000;

	private static final int BATCH = TaskQuery.MAX_LIMIT;

	private final TaskRecordStore records;

	private final ResultStore results;

	private final int stateScanLimit;

	private final int timelineLimit;

	private final TimelineCache timelineCache = new TimelineCache();

	/**
	 * Creates a history with the default limits.
	 * @param records the monitor's task table
	 * @param results where task states are recorded
	 */
	public CompositeTaskHistory(TaskRecordStore records, ResultStore results) {
		this(records, results, DEFAULT_STATE_SCAN_LIMIT, DEFAULT_TIMELINE_LIMIT);
	}

	/**
	 * Creates a history.
	 * @param records the monitor's task table
	 * @param results where task states are recorded
	 * @param stateScanLimit the most records a search with a state examines
	 * @param timelineLimit the most records the timeline counts
	 */
	public CompositeTaskHistory(TaskRecordStore records, ResultStore results, int stateScanLimit, int timelineLimit) {
		if (stateScanLimit < 1 || timelineLimit < 1) {
			throw new IllegalArgumentException(
					"The limits must be positive, were " + stateScanLimit + " and " + timelineLimit);
		}
		this.records = records;
		this.results = results;
		this.stateScanLimit = stateScanLimit;
		this.timelineLimit = timelineLimit;
	}

	/**
	 * Returns the most records a search with a state examines.
	 * @return the limit
	 */
	public int getStateScanLimit() {
		return this.stateScanLimit;
	}

	/**
	 * Returns the most records the timeline counts.
	 * @return the limit
	 */
	public int getTimelineLimit() {
		return this.timelineLimit;
	}

	@Override
	public TaskPage search(TaskQuery query) {
		if (query.taskId() != null) {
			return searchById(query, query.taskId());
		}
		if (query.state() == null) {
			List<TaskRecord> found = this.records.search(query.name(), query.seenFrom(), query.seenTo(), query.after(),
					query.limit() + 1);
			List<TaskSummary> tasks = summaries(found.subList(0, Math.min(found.size(), query.limit())));
			return new TaskPage(tasks, (found.size() > query.limit()) ? tasks.get(tasks.size() - 1).cursor() : null);
		}
		return searchByState(query, query.state());
	}

	private TaskPage searchById(TaskQuery query, String taskId) {
		TaskRecord record = this.records.find(taskId).orElse(null);
		if (record == null || !matchesRecord(query, record)) {
			return new TaskPage(List.of(), null);
		}
		TaskSummary summary = summary(record, this.results.find(taskId).orElse(null));
		return new TaskPage((query.state() == null || summary.state() == query.state()) ? List.of(summary) : List.of(),
				null);
	}

	private static boolean matchesRecord(TaskQuery query, TaskRecord record) {
		TaskCursor after = query.after();
		return (query.name() == null || query.name().equals(record.name()))
				&& (query.seenFrom() == null || !record.seenAt().isBefore(query.seenFrom()))
				&& (query.seenTo() == null || record.seenAt().isBefore(query.seenTo()))
				&& (after == null || after.precedes(record.seenAt(), record.taskId()));
	}

	private TaskPage searchByState(TaskQuery query, TaskState state) {
		List<TaskSummary> matches = new ArrayList<>();
		TaskCursor position = query.after();
		int examined = 0;
		boolean exhausted = false;
		// one match more than the page holds tells whether there is a next page
		while (matches.size() <= query.limit() && examined < this.stateScanLimit) {
			int batch = Math.min(BATCH, this.stateScanLimit - examined);
			List<TaskRecord> found = this.records.search(query.name(), query.seenFrom(), query.seenTo(), position,
					batch);
			for (TaskSummary summary : summaries(found)) {
				examined++;
				position = summary.cursor();
				if (summary.state() == state) {
					matches.add(summary);
					if (matches.size() > query.limit()) {
						break;
					}
				}
			}
			if (found.size() < batch) {
				exhausted = true;
				break;
			}
		}
		if (matches.size() > query.limit()) {
			List<TaskSummary> page = matches.subList(0, query.limit());
			return new TaskPage(page, page.get(page.size() - 1).cursor());
		}
		return new TaskPage(matches, (exhausted) ? null : position);
	}

	@Override
	public Optional<TaskDetail> find(String taskId) {
		TaskRecord record = this.records.find(taskId).orElse(null);
		TaskResult result = this.results.find(taskId).orElse(null);
		if (record == null && result == null) {
			return Optional.empty();
		}
		List<TaskSummary> children = summaries(this.records.children(taskId, MAX_CHILDREN));
		return Optional.of(new TaskDetail(taskId, record, result, children));
	}

	@Override
	public TaskTimeline timeline(Instant since) {
		return this.timelineCache.timeline(since, this::count);
	}

	private Map<Instant, Map<TaskState, Long>> count(Instant from, @Nullable Instant to) {
		Map<Instant, Map<TaskState, Long>> minutes = new TreeMap<>();
		TaskCursor position = null;
		int counted = 0;
		while (counted < this.timelineLimit) {
			int batch = Math.min(BATCH, this.timelineLimit - counted);
			List<TaskRecord> found = this.records.search(null, from, to, position, batch);
			for (TaskSummary summary : summaries(found)) {
				minutes
					.computeIfAbsent(summary.seenAt().truncatedTo(ChronoUnit.MINUTES),
							(minute) -> new EnumMap<>(TaskState.class))
					.merge(summary.state(), 1L, Long::sum);
				position = summary.cursor();
			}
			counted += found.size();
			if (found.size() < batch) {
				break;
			}
		}
		return minutes;
	}

	private List<TaskSummary> summaries(List<TaskRecord> records) {
		Map<String, TaskResult> results = this.results.findAll(records.stream().map(TaskRecord::taskId).toList());
		List<TaskSummary> summaries = new ArrayList<>(records.size());
		for (TaskRecord record : records) {
			summaries.add(summary(record, results.get(record.taskId())));
		}
		return summaries;
	}

	private static TaskSummary summary(TaskRecord record, @Nullable TaskResult result) {
		return new TaskSummary(record.taskId(), record.name(), record.routingKey(), record.seenAt(), record.retries(),
				(result != null) ? result.state() : TaskState.PENDING, (result != null) ? result.dateDone() : null,
				(result != null) ? result.worker() : null);
	}

}
