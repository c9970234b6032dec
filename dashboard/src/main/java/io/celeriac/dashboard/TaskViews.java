package io.celeriac.dashboard;

import java.time.Instant;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import io.celeriac.monitor.TaskCursor;
import io.celeriac.monitor.TaskDetail;
import io.celeriac.monitor.TaskHistory;
import io.celeriac.monitor.TaskPage;
import io.celeriac.monitor.TaskQuery;
import io.celeriac.monitor.TaskRecord;
import io.celeriac.monitor.TaskSummary;
import io.celeriac.monitor.TaskTimeline;
import io.celeriac.result.TaskFailure;
import io.celeriac.result.TaskResult;
import io.celeriac.result.TaskState;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * Turns the {@link TaskHistory} into what the task pages and the overview show: search
 * pages, a task's detail, and the counts per state of a period.
 *
 * @author Celeriac team
 */
public class TaskViews {

	private final @Nullable TaskHistory history;

	private final int pageSize;

	/**
	 * Creates the views.
	 * @param history the task history, or {@code null} when the application has none
	 * @param pageSize how many tasks a search page holds unless the request says
	 */
	public TaskViews(@Nullable TaskHistory history, int pageSize) {
		this.history = history;
		this.pageSize = Math.max(1, Math.min(pageSize, TaskQuery.MAX_LIMIT));
	}

	/**
	 * Tells whether there is a task history to read.
	 * @return {@code true} if there is
	 */
	public boolean available() {
		return this.history != null;
	}

	/**
	 * Searches tasks.
	 * @param id an exact task id, or blank
	 * @param name an exact task name, or blank
	 * @param state a state name, or blank
	 * @param from the earliest seen-at time (see {@link DashboardTime}), or blank
	 * @param to the latest seen-at time, exclusive, or blank
	 * @param after the {@link TaskCursor#token() token} of the previous page's end, or
	 * blank
	 * @param limit the most tasks in the page, or {@code null} for the configured size
	 * @return the page
	 * @throws IllegalArgumentException if a criterion cannot be read
	 */
	public TaskPageView search(@Nullable String id, @Nullable String name, @Nullable String state,
			@Nullable String from, @Nullable String to, @Nullable String after, @Nullable Integer limit) {
		if (this.history == null) {
			return new TaskPageView(false, List.of(), null);
		}
		TaskCursor cursor = (hasText(after)) ? TaskCursor.parse(after.trim()) : null;
		TaskQuery query = new TaskQuery(textOrNull(id), textOrNull(name), state(state), DashboardTime.parse(from),
				DashboardTime.parse(to), cursor, (limit != null) ? limit : this.pageSize);
		TaskPage page = this.history.search(query);
		return new TaskPageView(true, page.tasks().stream().map(TaskRow::of).toList(),
				(page.next() != null) ? page.next().token() : null);
	}

	/**
	 * Reads one task.
	 * @param taskId the task id
	 * @return the task, or empty if unknown or there is no history
	 */
	public Optional<TaskDetailView> detail(String taskId) {
		if (this.history == null) {
			return Optional.empty();
		}
		return this.history.find(taskId).map(TaskDetailView::of);
	}

	/**
	 * Counts the tasks seen since an instant, per state and per minute.
	 * @param since the start of the period
	 * @return the counts, or {@code null} without a history
	 */
	public @Nullable TimelineView timeline(Instant since) {
		if (this.history == null) {
			return null;
		}
		TaskTimeline timeline = this.history.timeline(since);
		Map<TaskState, Long> totals = new EnumMap<>(TaskState.class);
		for (TaskState state : TaskState.values()) {
			totals.put(state, 0L);
		}
		List<MinuteView> minutes = timeline.minutes().stream().map((minute) -> {
			minute.counts().forEach((state, count) -> totals.merge(state, count, Long::sum));
			return new MinuteView(minute.start(), ordered(minute.counts()));
		}).toList();
		return new TimelineView(timeline.since(), ordered(totals), minutes);
	}

	private static Map<String, Long> ordered(Map<TaskState, Long> counts) {
		Map<String, Long> ordered = new LinkedHashMap<>();
		for (TaskState state : TaskState.values()) {
			Long count = counts.get(state);
			if (count != null) {
				ordered.put(state.name(), count);
			}
		}
		return ordered;
	}

	private static @Nullable TaskState state(@Nullable String state) {
		if (!hasText(state)) {
			return null;
		}
		try {
			return TaskState.valueOf(state.trim().toUpperCase(Locale.ROOT));
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalArgumentException("'" + state + "' is not a task state: use one of "
					+ List.of(TaskState.values()).toString().replaceAll("[\\[\\]]", ""), ex);
		}
	}

	private static @Nullable String textOrNull(@Nullable String text) {
		return hasText(text) ? text.trim() : null;
	}

	private static boolean hasText(@Nullable String text) {
		return text != null && !text.isBlank();
	}

	/**
	 * One page of a search.
	 *
	 * @param available whether the application has a task history (the monitor is on)
	 * @param tasks the tasks, the most recently seen first
	 * @param next the token of the next page, or {@code null} on the last page
	 */
	public record TaskPageView(boolean available, List<TaskRow> tasks, @Nullable String next) {

	}

	/**
	 * A task in a search page.
	 *
	 * @param taskId the task id
	 * @param name the task name
	 * @param state its state
	 * @param seenAt when the monitor saw it
	 * @param dateDone when its result was recorded, if it was
	 * @param retries how many times it was retried before
	 * @param routingKey its routing key
	 */
	public record TaskRow(String taskId, String name, String state, Instant seenAt, @Nullable Instant dateDone,
			int retries, String routingKey) {

		static TaskRow of(TaskSummary summary) {
			return new TaskRow(summary.taskId(), summary.name(), summary.state().name(), summary.seenAt(),
					summary.dateDone(), summary.retries(), summary.routingKey());
		}

	}

	/**
	 * Everything known about a task.
	 *
	 * @param taskId the task id
	 * @param name the task name, if known
	 * @param state its state, {@code PENDING} while no result is recorded
	 * @param args its positional arguments, if known
	 * @param kwargs its keyword arguments, if known
	 * @param result the value it returned, for a success
	 * @param exception the exception's type, module and message, for a failure or retry
	 * @param traceback the exception's stack trace, for a failure or retry
	 * @param retries how many times it was retried
	 * @param routingKey the routing key it was sent with
	 * @param seenAt when the monitor saw it
	 * @param dateDone when its state was recorded
	 * @param worker the worker that recorded it
	 * @param eta when it should run, if delayed
	 * @param expires when it expires, if it does
	 * @param parentId the task that sent it
	 * @param rootId the first task of its workflow
	 * @param groupId its group
	 * @param origin the process that sent it
	 * @param children the tasks it sent
	 */
	public record TaskDetailView(String taskId, @Nullable String name, String state, @Nullable JsonNode args,
			@Nullable JsonNode kwargs, @Nullable JsonNode result, @Nullable String exception,
			@Nullable String traceback, int retries, @Nullable String routingKey, @Nullable Instant seenAt,
			@Nullable Instant dateDone, @Nullable String worker, @Nullable String eta, @Nullable String expires,
			@Nullable String parentId, @Nullable String rootId, @Nullable String groupId, @Nullable String origin,
			List<TaskRow> children) {

		static TaskDetailView of(TaskDetail detail) {
			TaskRecord record = detail.record();
			TaskResult result = detail.result();
			TaskFailure failure = (result != null) ? result.failure() : null;
			String name = (record != null) ? record.name() : (result != null) ? result.name() : null;
			JsonNode args = (record != null) ? record.args() : (result != null) ? result.args() : null;
			JsonNode kwargs = (record != null) ? record.kwargs() : (result != null) ? result.kwargs() : null;
			int retries = Math.max((record != null) ? record.retries() : 0, (result != null) ? result.retries() : 0);
			return new TaskDetailView(detail.taskId(), name,
					(result != null) ? result.state().name() : TaskState.PENDING.name(), args, kwargs,
					(result != null) ? result.value() : null, (failure != null) ? exception(failure) : null,
					(failure != null && !failure.traceback().isEmpty()) ? failure.traceback() : null, retries,
					(record != null) ? record.routingKey() : (result != null) ? result.queue() : null,
					(record != null) ? record.seenAt() : null, (result != null) ? result.dateDone() : null,
					(result != null) ? result.worker() : null, (record != null) ? record.eta() : null,
					(record != null) ? record.expires() : null, (record != null) ? record.parentId() : null,
					(record != null) ? record.rootId() : null, (record != null) ? record.groupId() : null,
					(record != null) ? record.origin() : null, detail.children().stream().map(TaskRow::of).toList());
		}

		private static String exception(TaskFailure failure) {
			String type = failure.exceptionModule().isEmpty() ? failure.exceptionType()
					: failure.exceptionModule() + "." + failure.exceptionType();
			return failure.message().isEmpty() ? type : type + ": " + failure.message();
		}

	}

	/**
	 * The tasks seen in a period.
	 *
	 * @param since the start of the period
	 * @param counts how many are in each state, every state listed
	 * @param minutes the minutes with tasks, oldest first
	 */
	public record TimelineView(Instant since, Map<String, Long> counts, List<MinuteView> minutes) {

	}

	/**
	 * The tasks seen in one minute.
	 *
	 * @param start the minute's first instant
	 * @param counts how many are in each state that has any
	 */
	public record MinuteView(Instant start, Map<String, Long> counts) {

	}

}
