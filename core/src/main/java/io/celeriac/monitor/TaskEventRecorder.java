package io.celeriac.monitor;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import io.celeriac.broker.TopologyDeclarer;
import io.celeriac.events.CeleryEvent;
import io.celeriac.events.EventSubscription;
import io.celeriac.events.EventTransport;
import io.celeriac.result.ResultStore;
import io.celeriac.result.TaskFailure;
import io.celeriac.result.TaskResult;
import io.celeriac.result.TaskState;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.node.StringNode;

import org.springframework.context.SmartLifecycle;

/**
 * Records the outcome of tasks from Celery's events, for workers whose results the
 * monitor does not otherwise see (a Python worker without a result backend, or with
 * another one): on {@code task-succeeded}, {@code task-failed} and {@code task-revoked}
 * it saves SUCCESS, FAILURE or REVOKED in the result store, unless the store already has
 * a result for the task. A worker that stores its results writes them before it sends the
 * event, so what it stored is never overwritten. Events carry no result value: a SUCCESS
 * recorded from one holds Celery's {@code repr} of the result as a string, and a FAILURE
 * the exception's {@code repr} and traceback.
 *
 * @author Celeriac team
 */
public class TaskEventRecorder implements SmartLifecycle {

	private static final Logger logger = LoggerFactory.getLogger(TaskEventRecorder.class);

	private static final int REMEMBERED_TASKS = 10_000;

	private final EventTransport transport;

	private final ResultStore results;

	private final Map<String, Received> received = new LinkedHashMap<>(256, 0.75f, false) {

		@Override
		protected boolean removeEldestEntry(Map.Entry<String, Received> eldest) {
			return size() > REMEMBERED_TASKS;
		}

	};

	private @Nullable EventSubscription subscription;

	/**
	 * Creates a recorder.
	 * @param transport where the events come from
	 * @param results where outcomes are recorded
	 */
	public TaskEventRecorder(EventTransport transport, ResultStore results) {
		this.transport = transport;
		this.results = results;
	}

	@Override
	public synchronized void start() {
		if (this.subscription == null) {
			this.subscription = this.transport.subscribe(this::handle);
			logger.info("Task monitor records task outcomes from Celery events");
		}
	}

	@Override
	public synchronized void stop() {
		if (this.subscription != null) {
			this.subscription.close();
			this.subscription = null;
		}
	}

	@Override
	public synchronized boolean isRunning() {
		return this.subscription != null;
	}

	@Override
	public int getPhase() {
		return TopologyDeclarer.PHASE + 1024;
	}

	/**
	 * Records what one event says, if it ends a task whose result is not recorded.
	 * @param event the event
	 */
	public void handle(CeleryEvent event) {
		String taskId = event.taskId();
		if (taskId == null) {
			return;
		}
		try {
			switch (event.type()) {
				case "task-received" -> remember(taskId, event);
				case "task-succeeded" -> record(taskId, event, TaskState.SUCCESS,
						StringNode.valueOf(String.valueOf(event.get("result"))), null);
				case "task-failed" -> record(taskId, event, TaskState.FAILURE, null, failure(event));
				case "task-revoked" -> record(taskId, event, TaskState.REVOKED, null,
						new TaskFailure("TaskRevokedError", "celery.exceptions",
								Boolean.TRUE.equals(event.get("expired")) ? "expired" : "revoked", ""));
				default -> {
				}
			}
		}
		catch (RuntimeException ex) {
			logger.warn("Could not record {} of task {}: {}", event.type(), taskId, ex.toString());
		}
	}

	private void remember(String taskId, CeleryEvent event) {
		synchronized (this.received) {
			this.received.put(taskId,
					new Received(text(event.get("name")), text(event.get("args")), text(event.get("kwargs"))));
		}
	}

	private void record(String taskId, CeleryEvent event, TaskState state, @Nullable StringNode value,
			@Nullable TaskFailure failure) {
		Received task;
		synchronized (this.received) {
			task = this.received.remove(taskId);
		}
		if (this.results.find(taskId).isPresent()) {
			return;
		}
		this.results.save(new TaskResult(taskId, state, value, failure, (task != null) ? task.name() : null,
				(task != null && task.args() != null) ? StringNode.valueOf(task.args()) : null,
				(task != null && task.kwargs() != null) ? StringNode.valueOf(task.kwargs()) : null, event.hostname(), 0,
				null, Instant.now()));
	}

	/**
	 * Reads Celery's {@code repr} of an exception, e.g. {@code ValueError('boom')}.
	 */
	private static TaskFailure failure(CeleryEvent event) {
		String exception = String.valueOf(event.get("exception"));
		int open = exception.indexOf('(');
		String type = (open > 0) ? exception.substring(0, open) : exception;
		String message = (open > 0 && exception.endsWith(")")) ? exception.substring(open + 1, exception.length() - 1)
				: "";
		if (message.length() >= 2 && (message.startsWith("'") || message.startsWith("\""))
				&& message.charAt(message.length() - 1) == message.charAt(0)) {
			message = message.substring(1, message.length() - 1);
		}
		int dot = type.lastIndexOf('.');
		String module = (dot > 0) ? type.substring(0, dot) : "builtins";
		String traceback = (event.get("traceback") != null) ? String.valueOf(event.get("traceback")) : "";
		return new TaskFailure(type.substring(dot + 1), module, message, traceback);
	}

	private static @Nullable String text(@Nullable Object value) {
		return (value != null) ? value.toString() : null;
	}

	private record Received(@Nullable String name, @Nullable String args, @Nullable String kwargs) {
	}

}
