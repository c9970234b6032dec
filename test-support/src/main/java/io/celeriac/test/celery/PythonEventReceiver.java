package io.celeriac.test.celery;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Predicate;

import io.celeriac.test.process.ChildProcess;
import tools.jackson.databind.json.JsonMapper;

/**
 * Celery's own {@code app.events.Receiver} in a Python process, feeding every event it
 * receives to Celery's {@code app.events.State()} ({@code celeriac_interop_events.py}):
 * shows the events as Celery received them and what Celery's {@code State} made of them.
 *
 * @author Celeriac team
 */
public final class PythonEventReceiver implements AutoCloseable {

	private static final String EVENT = "EVENT ";

	private static final String STATE = "STATE ";

	private final ChildProcess process;

	PythonEventReceiver(ChildProcess process) {
		this.process = process;
	}

	/**
	 * Returns the receiver's process.
	 * @return the process
	 */
	public ChildProcess process() {
		return this.process;
	}

	/**
	 * Returns every event received so far, in the order received, as Celery's receiver
	 * handed them over (with its {@code local_received}, and {@code timestamp} adjusted
	 * by {@code utcoffset}).
	 * @return the events
	 */
	public List<Map<String, Object>> events() {
		return this.process.output()
			.stream()
			.filter((line) -> line.startsWith(EVENT))
			.map((line) -> parse(line.substring(EVENT.length())))
			.toList();
	}

	/**
	 * Returns the events received so far about one task, in the order received.
	 * @param taskId the task's id
	 * @return the events
	 */
	public List<Map<String, Object>> events(String taskId) {
		return events().stream().filter((event) -> taskId.equals(event.get("uuid"))).toList();
	}

	/**
	 * Waits until Celery's {@code State} satisfies a condition after some event, and
	 * returns it then: {@code event_count}, {@code task_count}, {@code tasks} (by id:
	 * {@code state}, {@code name}, {@code args}, {@code worker}, {@code result},
	 * {@code runtime}, {@code exception}, ...) and {@code workers} (by host name:
	 * {@code alive}, {@code heartbeats}, {@code freq}, {@code active}, {@code processed},
	 * {@code loadavg}, {@code sw_ident}, ...).
	 * @param condition the condition on the state
	 * @param description what it waits for, for the failure message
	 * @param timeout how long to wait at most
	 * @return the first state that satisfies it
	 */
	public Map<String, Object> awaitState(Predicate<Map<String, Object>> condition, String description,
			Duration timeout) {
		String line = this.process.awaitLine(
				(printed) -> printed.startsWith(STATE) && condition.test(parse(printed.substring(STATE.length()))),
				description, timeout);
		return parse(line.substring(STATE.length()));
	}

	/**
	 * Waits until Celery's {@code State} holds a task in the given state.
	 * @param taskId the task's id
	 * @param state e.g. {@code SUCCESS}
	 * @param timeout how long to wait at most
	 * @return the task as {@code State} has it
	 */
	public Map<String, Object> awaitTaskState(String taskId, String state, Duration timeout) {
		return awaitTask(taskId, (task) -> state.equals(task.get("state")), "in state " + state, timeout);
	}

	/**
	 * Waits until Celery's {@code State} holds a task that satisfies a condition, e.g. a
	 * final state together with what the producer's {@code task-sent} event brings, which
	 * may arrive after the worker's events.
	 * @param taskId the task's id
	 * @param condition the condition on the task as {@code State} has it
	 * @param description what the condition looks for, for the failure message
	 * @param timeout how long to wait at most
	 * @return the task as {@code State} has it
	 */
	@SuppressWarnings("unchecked")
	public Map<String, Object> awaitTask(String taskId, Predicate<Map<String, Object>> condition, String description,
			Duration timeout) {
		Map<String, Object> found = awaitState((celery) -> {
			Map<String, Object> task = (Map<String, Object>) ((Map<String, Object>) celery.get("tasks")).get(taskId);
			return task != null && condition.test(task);
		}, "task " + taskId + " " + description, timeout);
		return (Map<String, Object>) Objects.requireNonNull(((Map<String, Object>) found.get("tasks")).get(taskId));
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> parse(String json) {
		return JsonMapper.shared().readValue(json, Map.class);
	}

	/**
	 * Stops the receiver.
	 */
	@Override
	public void close() {
		this.process.close();
	}

}
