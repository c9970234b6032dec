package io.celeriac.events;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.celeriac.broker.TopologyDeclarer;
import io.celeriac.worker.WorkerHeartbeat;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.SmartLifecycle;

/**
 * Celery's worker heart ({@code celery.worker.heartbeat.Heart}): sends
 * {@code worker-online} when the worker starts, {@code worker-heartbeat} every
 * {@code freq}, and {@code worker-offline} when it stops, each with {@code freq},
 * {@code active}, {@code processed}, {@code loadavg} and the {@code sw_ident},
 * {@code sw_ver}, {@code sw_sys} software fields. Celery's {@code State} counts a worker
 * alive for twice {@code freq} after its last heartbeat.
 *
 * @author Celeriac team
 */
public class WorkerEventHeartbeat implements SmartLifecycle {

	/**
	 * The {@code sw_ident} of a Celeriac worker (a Python worker sends
	 * {@code py-celery}).
	 */
	public static final String SOFTWARE_IDENTITY = "celeriac";

	private static final Logger logger = LoggerFactory.getLogger(WorkerEventHeartbeat.class);

	private static final Path LOAD_AVERAGE = Path.of("/proc/loadavg");

	private final EventDispatcher dispatcher;

	private final TaskEvents tasks;

	private final Duration frequency;

	private @Nullable ScheduledExecutorService timer;

	/**
	 * Creates a heartbeat.
	 * @param dispatcher sends under the worker's name
	 * @param tasks counts the tasks running and run
	 * @param frequency how often a heartbeat is sent (Celery's default is 2 s)
	 */
	public WorkerEventHeartbeat(EventDispatcher dispatcher, TaskEvents tasks, Duration frequency) {
		if (frequency.isNegative() || frequency.isZero()) {
			throw new IllegalArgumentException(
					"The heartbeat frequency must be positive (celeriac.events.heartbeat-interval): " + frequency);
		}
		this.dispatcher = dispatcher;
		this.tasks = tasks;
		this.frequency = frequency;
	}

	@Override
	public synchronized void start() {
		if (this.timer != null) {
			return;
		}
		send("worker-online");
		ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor((task) -> {
			Thread thread = new Thread(task, "celeriac-event-heartbeat");
			thread.setDaemon(true);
			return thread;
		});
		long period = this.frequency.toMillis();
		timer.scheduleAtFixedRate(() -> send("worker-heartbeat"), period, period, TimeUnit.MILLISECONDS);
		this.timer = timer;
	}

	@Override
	public synchronized void stop() {
		ScheduledExecutorService timer = this.timer;
		if (timer == null) {
			return;
		}
		timer.shutdownNow();
		this.timer = null;
		send("worker-offline");
	}

	@Override
	public synchronized boolean isRunning() {
		return this.timer != null;
	}

	@Override
	public int getPhase() {
		// online before the worker takes tasks, offline after it has stopped
		return TopologyDeclarer.PHASE + 512;
	}

	private void send(String type) {
		try {
			Map<String, @Nullable Object> fields = new LinkedHashMap<>();
			fields.put("freq", this.frequency.toMillis() / 1000.0);
			fields.put("active", this.tasks.active());
			fields.put("processed", this.tasks.processed());
			fields.put("loadavg", loadAverage());
			fields.put("sw_ident", SOFTWARE_IDENTITY);
			fields.put("sw_ver", WorkerHeartbeat.version());
			fields.put("sw_sys", System.getProperty("os.name", "Java"));
			this.dispatcher.send(type, fields);
		}
		catch (RuntimeException ex) {
			logger.warn("Could not send {}: {}", type, ex.toString());
		}
	}

	/**
	 * The load average as Celery's {@code load_average()}: three values, each rounded up
	 * to two decimals; on a system without {@code /proc/loadavg}, the one-minute value
	 * the JVM knows three times (or zeros).
	 */
	static List<Double> loadAverage() {
		try {
			if (Files.isReadable(LOAD_AVERAGE)) {
				String[] parts = Files.readString(LOAD_AVERAGE).strip().split("\\s+");
				return List.of(roundUp(parts[0]), roundUp(parts[1]), roundUp(parts[2]));
			}
		}
		catch (IOException | RuntimeException ex) {
			// fall back to the JVM's figure
		}
		double minute = Math.max(0,
				java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
		double rounded = Math.ceil(minute * 100) / 100;
		return List.of(rounded, rounded, rounded);
	}

	private static double roundUp(String value) {
		return Math.ceil(Double.parseDouble(value) * 100) / 100;
	}

}
