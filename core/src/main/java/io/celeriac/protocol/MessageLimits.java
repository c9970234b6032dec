package io.celeriac.protocol;

import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * The longest text each header of a task message may have to be recorded: the widths of
 * the columns Celery's result table ({@code celery_taskmeta}) and the monitor's task
 * table ({@code celeriac_task}) store it in. A message over one of them, or with a NUL
 * character (which PostgreSQL refuses in text), cannot be recorded, so recording it would
 * fail on every delivery; the worker and the monitor check it once, before recording
 * anything, and move such a message to their error queue with the reason instead.
 *
 * @param maxIdLength the longest task, parent, root and group id ({@code task_id},
 * {@code parent_id}, {@code root_id}, {@code group_id}: 155)
 * @param maxNameLength the longest task name ({@code celery_taskmeta.name}: 155)
 * @param maxRoutingKeyLength the longest routing key ({@code celery_taskmeta.queue}: 155)
 * @param maxTimeLength the longest {@code eta} and {@code expires} ({@code 64})
 * @param maxOriginLength the longest {@code origin} ({@code 255})
 * @author Celeriac team
 */
public record MessageLimits(int maxIdLength, int maxNameLength, int maxRoutingKeyLength, int maxTimeLength,
		int maxOriginLength) {

	/**
	 * The widths of the columns of the result and task tables as their schemas create
	 * them.
	 */
	public static final MessageLimits RECORDED_COLUMNS = new MessageLimits(155, 155, 155, 64, 255);

	private static final int SHOWN = 40;

	/**
	 * Checks that every header of a message that is recorded fits its column.
	 * @param message the decoded message
	 * @param routingKey the routing key it was delivered with, recorded as its queue
	 * @throws InvalidTaskMessageException ({@link ErrorKind#UNRECORDABLE_HEADER}) naming
	 * every header that does not fit
	 */
	public void check(TaskMessage message, String routingKey) {
		TaskHeaders headers = message.headers();
		List<String> problems = new ArrayList<>();
		check(problems, "id", headers.id(), this.maxIdLength);
		check(problems, "task", headers.task(), this.maxNameLength);
		check(problems, "root_id", headers.rootId(), this.maxIdLength);
		check(problems, "parent_id", headers.parentId(), this.maxIdLength);
		check(problems, "group", headers.group(), this.maxIdLength);
		check(problems, "eta", headers.eta(), this.maxTimeLength);
		check(problems, "expires", headers.expires(), this.maxTimeLength);
		check(problems, "origin", headers.origin(), this.maxOriginLength);
		check(problems, "routing key", routingKey, this.maxRoutingKeyLength);
		if (!problems.isEmpty()) {
			throw new InvalidTaskMessageException(ErrorKind.UNRECORDABLE_HEADER,
					"The message cannot be recorded: " + String.join("; ", problems));
		}
	}

	private static void check(List<String> problems, String header, @Nullable String value, int max) {
		if (value == null) {
			return;
		}
		if (value.length() > max) {
			problems.add("its " + header + " has " + value.length() + " characters, over the " + max
					+ " its column holds (it begins '" + value.substring(0, Math.min(SHOWN, max)) + "')");
		}
		else if (value.indexOf('\0') >= 0) {
			problems.add("its " + header + " holds a NUL character, which the database refuses");
		}
	}

}
