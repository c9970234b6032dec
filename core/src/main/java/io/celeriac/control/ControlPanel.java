package io.celeriac.control;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

import io.celeriac.protocol.TaskMessage;
import io.celeriac.task.TaskRegistry;
import io.celeriac.topology.TaskRouter;
import io.celeriac.topology.Topology;
import io.celeriac.worker.TaskWorker;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

/**
 * The remote control commands a Java worker answers, Celery's {@code Panel}, each with
 * the reply Celery 5.2.6's worker gives: {@code ping}, {@code stats}, {@code active},
 * {@code reserved}, {@code scheduled}, {@code registered}, {@code active_queues},
 * {@code conf}, {@code revoked}, {@code clock}, {@code hello} (mingle's exchange of
 * revoked ids), {@code revoke}, {@code terminate}, {@code rate_limit},
 * {@code add_consumer}, {@code cancel_consumer} and {@code shutdown}.
 * <p>
 * {@code reserved} and {@code scheduled} are always empty: a Java worker holds no task it
 * has not started (a task with a future {@code eta} waits in the delayed task store, not
 * in the worker's memory).
 *
 * @author Celeriac team
 */
public class ControlPanel {

	/**
	 * What {@link #handle} returns for a command that gets no reply, as Celery's
	 * {@code shutdown}.
	 */
	public static final Object NO_REPLY = new Object();

	private static final Logger logger = LoggerFactory.getLogger(ControlPanel.class);

	private static final Pattern RATE = Pattern.compile("\\d+(\\.\\d+)?(/[smh])?");

	private final TaskWorker worker;

	private final TaskRegistry registry;

	private final Topology topology;

	private final TaskRouter router;

	private final ActiveTasks active;

	private final Revocations revocations;

	private final ControlSettings settings;

	private final @Nullable RateLimitControl rateLimits;

	private final Runnable shutdown;

	private final JsonMapper mapper = JsonMapper.builder().build();

	private final Instant started = Instant.now();

	private final Map<String, Function<Map<String, @Nullable Object>, @Nullable Object>> commands = new LinkedHashMap<>();

	/**
	 * Creates the panel of a worker.
	 * @param worker the worker
	 * @param registry the tasks it runs
	 * @param topology the topology its queues belong to
	 * @param router gives a task its routing key
	 * @param active what it runs now
	 * @param revocations its revoked tasks
	 * @param settings what it reports and allows
	 * @param rateLimits applies {@code rate_limit}, or {@code null} where the worker has
	 * no per-task rate limits
	 * @param shutdown what {@code shutdown} runs, when
	 * {@link ControlSettings#shutdownEnabled() allowed}
	 */
	public ControlPanel(TaskWorker worker, TaskRegistry registry, Topology topology, TaskRouter router,
			ActiveTasks active, Revocations revocations, ControlSettings settings,
			@Nullable RateLimitControl rateLimits, Runnable shutdown) {
		this.worker = worker;
		this.registry = registry;
		this.topology = topology;
		this.router = router;
		this.active = active;
		this.revocations = revocations;
		this.settings = settings;
		this.rateLimits = rateLimits;
		this.shutdown = shutdown;
		this.commands.put("ping", (arguments) -> ok("pong"));
		this.commands.put("stats", (arguments) -> stats());
		this.commands.put("active", (arguments) -> active(Boolean.TRUE.equals(arguments.get("safe"))));
		this.commands.put("reserved", (arguments) -> List.of());
		this.commands.put("scheduled", (arguments) -> List.of());
		this.commands.put("registered", (arguments) -> registered());
		this.commands.put("active_queues", (arguments) -> activeQueues());
		this.commands.put("conf", (arguments) -> settings.conf());
		this.commands.put("revoked", (arguments) -> List.copyOf(revocations.revoked()));
		this.commands.put("clock", (arguments) -> Map.of("clock", 0));
		this.commands.put("hello", this::hello);
		this.commands.put("revoke",
				(arguments) -> revoke(ids(arguments.get("task_id")), Boolean.TRUE.equals(arguments.get("terminate"))));
		this.commands.put("terminate", (arguments) -> revoke(ids(arguments.get("task_id")), true));
		this.commands.put("rate_limit", this::rateLimit);
		this.commands.put("add_consumer", this::addConsumer);
		this.commands.put("cancel_consumer", this::cancelConsumer);
		this.commands.put("shutdown", this::shutdown);
		// Celery's aliases
		this.commands.put("dump_active", this.commands.get("active"));
		this.commands.put("dump_reserved", this.commands.get("reserved"));
		this.commands.put("dump_schedule", this.commands.get("scheduled"));
		this.commands.put("dump_tasks", this.commands.get("registered"));
		this.commands.put("dump_conf", this.commands.get("conf"));
		this.commands.put("dump_revoked", this.commands.get("revoked"));
	}

	/**
	 * Returns the names of the commands the panel answers.
	 * @return the command names
	 */
	public Set<String> commands() {
		return this.commands.keySet();
	}

	/**
	 * Runs a command, as kombu's {@code Node.dispatch}: an unknown command or one that
	 * fails gets {@code {"error": ...}}.
	 * @param method the command
	 * @param arguments its keyword arguments
	 * @return the reply, or {@link #NO_REPLY}
	 */
	public @Nullable Object handle(String method, Map<String, @Nullable Object> arguments) {
		Function<Map<String, @Nullable Object>, @Nullable Object> command = this.commands.get(method);
		if (command == null) {
			logger.error("No such control command: {}", method);
			return nok("No such control command: " + method);
		}
		try {
			return command.apply(arguments);
		}
		catch (RuntimeException ex) {
			logger.error("Control command {} failed: {}", method, ex.toString(), ex);
			return nok(ex.toString());
		}
	}

	private Map<String, Object> stats() {
		Map<String, Object> stats = new LinkedHashMap<>();
		stats.put("total", this.active.totals());
		stats.put("pid", ProcessHandle.current().pid());
		stats.put("clock", "0");
		stats.put("uptime", Duration.between(this.started, Instant.now()).toSeconds());
		Map<String, Object> pool = new LinkedHashMap<>();
		pool.put("implementation", "celeriac:threads");
		pool.put("max-concurrency", this.worker.settings().concurrency());
		pool.put("processes", List.of(ProcessHandle.current().pid()));
		pool.put("max-tasks-per-child", "N/A");
		pool.put("put-guarded-by-semaphore", false);
		pool.put("timeouts", List.of(0, 0));
		stats.put("pool", pool);
		stats.put("broker", this.settings.broker());
		stats.put("prefetch_count", this.worker.settings().prefetch() * this.worker.settings().concurrency());
		Map<String, Object> rusage = new LinkedHashMap<>();
		rusage.put("maxrss", Runtime.getRuntime().totalMemory() / 1024);
		rusage.put("utime", ManagementFactory.getRuntimeMXBean().getUptime() / 1000.0);
		stats.put("rusage", rusage);
		return stats;
	}

	private List<Map<String, @Nullable Object>> active(boolean safe) {
		List<Map<String, @Nullable Object>> requests = new ArrayList<>();
		for (ActiveTasks.Active running : this.active.now()) {
			TaskMessage task = running.task();
			Map<String, @Nullable Object> info = new LinkedHashMap<>();
			info.put("id", task.id());
			info.put("name", task.task());
			info.put("args",
					safe ? task.headers().argsrepr() : this.mapper.convertValue(task.body().args(), List.class));
			info.put("kwargs",
					safe ? task.headers().kwargsrepr() : this.mapper.convertValue(task.body().kwargs(), Map.class));
			info.put("type", task.task());
			info.put("hostname", this.worker.settings().name());
			info.put("time_start", running.started().toEpochMilli() / 1000.0);
			info.put("acknowledged", false);
			Map<String, @Nullable Object> delivery = new LinkedHashMap<>();
			delivery.put("exchange", this.topology.exchange());
			delivery.put("routing_key", this.router.routingKey(task.task()));
			delivery.put("priority", task.priority());
			delivery.put("redelivered", false);
			info.put("delivery_info", delivery);
			info.put("worker_pid", ProcessHandle.current().pid());
			requests.add(info);
		}
		return requests;
	}

	private List<String> registered() {
		return this.registry.names().stream().filter((name) -> !name.startsWith("celery.")).sorted().toList();
	}

	private List<Map<String, @Nullable Object>> activeQueues() {
		List<Map<String, @Nullable Object>> queues = new ArrayList<>();
		for (String queue : this.worker.consumedQueues()) {
			String prefix = this.topology.queueNamePrefix();
			String routingKey = queue.startsWith(prefix) ? queue.substring(prefix.length()) : queue;
			Map<String, @Nullable Object> exchange = new LinkedHashMap<>();
			exchange.put("name", this.topology.exchange());
			exchange.put("type", "topic");
			exchange.put("arguments", null);
			exchange.put("durable", true);
			exchange.put("passive", false);
			exchange.put("auto_delete", false);
			exchange.put("delivery_mode", null);
			exchange.put("no_declare", false);
			Map<String, @Nullable Object> info = new LinkedHashMap<>();
			info.put("name", queue);
			info.put("exchange", exchange);
			info.put("routing_key", routingKey);
			info.put("queue_arguments", null);
			info.put("binding_arguments", null);
			info.put("consumer_arguments", null);
			info.put("durable", true);
			info.put("exclusive", false);
			info.put("auto_delete", false);
			info.put("no_ack", false);
			info.put("alias", null);
			info.put("bindings", List.of());
			info.put("no_declare", null);
			info.put("expires", null);
			info.put("message_ttl", null);
			info.put("max_length", null);
			info.put("max_length_bytes", null);
			info.put("max_priority", (this.topology.maxPriority() > 0) ? this.topology.maxPriority() : null);
			queues.add(info);
		}
		return queues;
	}

	/**
	 * Celery's mingle: a worker starting up sends its revoked ids and gets every other
	 * worker's, so that the fleet agrees on what is revoked.
	 */
	private @Nullable Object hello(Map<String, @Nullable Object> arguments) {
		if (this.worker.settings().name().equals(arguments.get("from_node"))) {
			return null;
		}
		if (arguments.get("revoked") instanceof Map<?, ?> theirs && !theirs.isEmpty()) {
			this.revocations.revoke(theirs.keySet().stream().map(String::valueOf).toList(), false);
		}
		Map<String, Object> ours = new LinkedHashMap<>();
		this.revocations.revokedAt().forEach((id, at) -> ours.put(id, at.toEpochMilli() / 1000.0));
		Map<String, Object> reply = new LinkedHashMap<>();
		reply.put("revoked", ours);
		reply.put("clock", 0);
		return reply;
	}

	private Map<String, Object> revoke(List<String> ids, boolean terminate) {
		Set<String> terminated = this.revocations.revoke(ids, terminate);
		String joined = String.join(", ", ids);
		if (terminate) {
			if (terminated.isEmpty()) {
				logger.info("Tasks flagged as revoked: {}; none of them runs here", joined);
				return ok("terminate: tasks unknown");
			}
			logger.info("Tasks terminated: {}", terminated);
			return ok("terminate: " + String.join(", ", terminated));
		}
		logger.info("Tasks flagged as revoked: {}", joined);
		return ok("tasks " + joined + " flagged as revoked");
	}

	private Map<String, Object> rateLimit(Map<String, @Nullable Object> arguments) {
		String task = String.valueOf(arguments.get("task_name"));
		Object value = arguments.get("rate_limit");
		String rate = (value != null) ? value.toString().strip() : "";
		if (!rate.isEmpty() && !RATE.matcher(rate).matches()) {
			return nok("Invalid rate limit string: ValueError(\"invalid literal for float(): '" + rate + "'\")");
		}
		if (this.registry.find(task).isEmpty()) {
			logger.error("Rate limit attempt for unknown task {}", task);
			return nok("unknown task");
		}
		if (this.rateLimits == null) {
			return nok("this Celeriac worker enforces no per-task rate limits (no RateLimitControl bean)");
		}
		boolean disabled = rate.isEmpty() || Double.parseDouble(rate.split("/")[0]) == 0;
		this.rateLimits.apply(task, disabled ? null : rate);
		if (disabled) {
			logger.info("Rate limits disabled for tasks of type {}", task);
			return ok("rate limit disabled successfully");
		}
		logger.info("New rate limit for tasks of type {}: {}.", task, rate);
		return ok("new rate limit set successfully");
	}

	private Map<String, Object> addConsumer(Map<String, @Nullable Object> arguments) {
		Object queue = arguments.get("queue");
		if (queue == null) {
			return nok("add_consumer needs a 'queue' argument");
		}
		this.worker.addQueue(queue.toString());
		return ok("add consumer " + queue);
	}

	private Map<String, Object> cancelConsumer(Map<String, @Nullable Object> arguments) {
		Object queue = arguments.get("queue");
		if (queue == null) {
			return nok("cancel_consumer needs a 'queue' argument");
		}
		this.worker.cancelQueue(queue.toString());
		return ok("no longer consuming from " + queue);
	}

	private Object shutdown(Map<String, @Nullable Object> arguments) {
		if (!this.settings.shutdownEnabled()) {
			logger.warn("Refused a shutdown command: celeriac.control.shutdown-enabled is false");
			return nok("shutdown is disabled on this worker; set celeriac.control.shutdown-enabled=true to allow it");
		}
		Object message = arguments.get("msg");
		logger.warn((message != null) ? message.toString() : "Got shutdown from remote");
		Thread stop = new Thread(this.shutdown, "celeriac-remote-shutdown");
		stop.start();
		return NO_REPLY;
	}

	private static List<String> ids(@Nullable Object taskId) {
		if (taskId instanceof Collection<?> many) {
			return many.stream().map(String::valueOf).toList();
		}
		return (taskId != null) ? List.of(taskId.toString()) : List.of();
	}

	private static Map<String, Object> ok(Object value) {
		return Map.of("ok", value);
	}

	private static Map<String, Object> nok(Object value) {
		return Map.of("error", value);
	}

}
