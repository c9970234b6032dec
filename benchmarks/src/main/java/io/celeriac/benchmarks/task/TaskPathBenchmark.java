package io.celeriac.benchmarks.task;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import io.celeriac.benchmarks.rabbit.DrainClock;
import io.celeriac.benchmarks.rabbit.RawRabbitBaseline;
import io.celeriac.broker.rabbit.RabbitBroker;
import io.celeriac.protocol.CeleryProtocol;
import io.celeriac.task.BrokerTaskClient;
import io.celeriac.task.TaskMethod;
import io.celeriac.task.TaskOptions;
import io.celeriac.task.TaskRegistry;
import io.celeriac.topology.FirstSegmentTaskRouter;
import io.celeriac.topology.QueueType;
import io.celeriac.topology.Topology;
import io.celeriac.worker.ErrorQueue;
import io.celeriac.worker.TaskWorker;
import io.celeriac.worker.WorkerSettings;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;

/**
 * Publishes N no-op tasks with {@link BrokerTaskClient#sendAsync} (a window of
 * unconfirmed publishes, as the raw baseline keeps), then times one {@link TaskWorker}
 * draining them; in the same run, the raw RabbitMQ ceiling with the same message shape
 * (publisher confirms, one consumer, manual acks). Reports tasks/s and the ratio to the
 * ceiling, and this process's CPU time per task. A drain is timed from its first delivery
 * (the first task run) to its last, on both sides: what the worker takes to start (its
 * connection, channels and consumers) is reported apart.
 * <p>
 * Arguments (all optional): {@code --uri amqp://guest:guest@127.0.0.1:5672/%2F},
 * {@code --messages 100000}, {@code --warmup 20000}, {@code --concurrency 2},
 * {@code --prefetch 250}, {@code --window 1000}, {@code --monitor false} (with
 * {@code true} every task is also routed to the monitor queue, as in production, which
 * doubles the broker's work; the raw ceiling then routes every message to a second queue
 * bound with {@code #} too), {@code --raw-consumers 1} (how many consumers, each on its
 * own channel with the prefetch, drain the raw ceiling's queue), {@code --rounds 1} (with
 * more, the raw ceiling and Celeriac alternate which goes first, and the median of the
 * rounds' ratios is printed). Queues and exchanges have unique names and are deleted
 * afterwards.
 *
 * @author Celeriac team
 */
public final class TaskPathBenchmark {

	private final CachingConnectionFactory connectionFactory;

	private final int concurrency;

	private final int prefetch;

	private final int window;

	private final boolean monitor;

	private final List<Long> startNanos = new ArrayList<>();

	private TaskPathBenchmark(CachingConnectionFactory connectionFactory, int concurrency, int prefetch, int window,
			boolean monitor) {
		this.connectionFactory = connectionFactory;
		this.concurrency = concurrency;
		this.prefetch = prefetch;
		this.window = window;
		this.monitor = monitor;
	}

	public static void main(String[] args) throws Exception {
		Map<String, String> options = options(args);
		String uri = options.getOrDefault("uri",
				System.getenv().getOrDefault("CELERIAC_TEST_RABBITMQ_URL", "amqp://guest:guest@127.0.0.1:5672/%2F"));
		int messages = Integer.parseInt(options.getOrDefault("messages", "100000"));
		int warmup = Integer.parseInt(options.getOrDefault("warmup", "20000"));
		int concurrency = Integer.parseInt(options.getOrDefault("concurrency", "2"));
		int prefetch = Integer.parseInt(options.getOrDefault("prefetch", "250"));
		int window = Integer.parseInt(options.getOrDefault("window", "1000"));
		boolean monitor = Boolean.parseBoolean(options.getOrDefault("monitor", "false"));
		int rawConsumers = Integer.parseInt(options.getOrDefault("raw-consumers", "1"));
		int rounds = Integer.parseInt(options.getOrDefault("rounds", "1"));
		ConnectionFactory rabbit = new ConnectionFactory();
		rabbit.setUri(URI.create(uri));

		// with the monitor queue on, the ceiling routes every message to two queues too
		RawRabbitBaseline baseline = new RawRabbitBaseline(rabbit, window, prefetch, monitor, rawConsumers);
		CachingConnectionFactory connectionFactory = new CachingConnectionFactory(rabbit);
		TaskPathBenchmark benchmark = new TaskPathBenchmark(connectionFactory, concurrency, prefetch, window, monitor);
		System.out.printf(Locale.ROOT,
				"Task path: %d no-op tasks, %d warm-up first; worker concurrency %d, prefetch %d; publish window %d; "
						+ "monitor queue %s; raw ceiling drained by %d consumer(s)%n",
				messages, warmup, concurrency, prefetch, window, monitor ? "on" : "off", rawConsumers);
		try {
			baseline.celeryNoOp(warmup);
			benchmark.run(warmup);
			List<Double> publishRatios = new ArrayList<>();
			List<Double> drainRatios = new ArrayList<>();
			List<Double> drainCpuRatios = new ArrayList<>();
			for (int round = 1; round <= rounds; round++) {
				RawRabbitBaseline.Throughput raw;
				RawRabbitBaseline.Throughput ours;
				if (round % 2 == 1) {
					raw = baseline.celeryNoOp(messages);
					ours = benchmark.run(messages);
				}
				else {
					ours = benchmark.run(messages);
					raw = baseline.celeryNoOp(messages);
				}
				System.out.printf(Locale.ROOT, "round %d (load %s)%n", round, load());
				print(monitor ? "raw RabbitMQ, two queues (Celery-shaped)" : "raw RabbitMQ (Celery-shaped message)",
						raw);
				print("Celeriac TaskClient + TaskWorker", ours);
				publishRatios.add(ours.publishRate() / raw.publishRate());
				drainRatios.add(ours.drainRate() / raw.drainRate());
				drainCpuRatios.add(ours.drainCpuMicros() / raw.drainCpuMicros());
				System.out.printf(Locale.ROOT, "ratio to raw: publish %.2f, drain %.2f; CPU per task drained %.2f×%n",
						publishRatios.get(publishRatios.size() - 1), drainRatios.get(drainRatios.size() - 1),
						drainCpuRatios.get(drainCpuRatios.size() - 1));
			}
			if (rounds > 1) {
				System.out.printf(Locale.ROOT,
						"median ratio to raw: publish %.2f of %s, drain %.2f of %s; CPU per task drained %.2f× of %s%n",
						median(publishRatios), rounded(publishRatios), median(drainRatios), rounded(drainRatios),
						median(drainCpuRatios), rounded(drainCpuRatios));
			}
			System.out.printf(Locale.ROOT, "worker start to its first task (left out of the drain), each run: %s ms%n",
					benchmark.startNanos.stream().map((nanos) -> Math.round(nanos / 1e6)).toList());
		}
		finally {
			connectionFactory.destroy();
		}
	}

	private RawRabbitBaseline.Throughput run(int messages) throws Exception {
		String id = UUID.randomUUID().toString().substring(0, 8);
		Topology topology = new Topology("celeriac-bench-" + id, "celeriac-bench-" + id + "-",
				this.monitor ? "platform.fifo" : null, Set.of("bench"), QueueType.CLASSIC, ".error");
		RabbitBroker broker = new RabbitBroker(this.connectionFactory, Duration.ofSeconds(30));
		JsonMapper mapper = new JsonMapper();
		CeleryProtocol protocol = new CeleryProtocol(mapper);
		NoOpTasks tasks = new NoOpTasks();
		TaskRegistry registry = new TaskRegistry();
		registry.register(new TaskMethod("bench.noop", tasks, NoOpTasks.class.getMethod("noop")));
		FirstSegmentTaskRouter router = new FirstSegmentTaskRouter();
		WorkerSettings settings = new WorkerSettings("bench@" + id, List.of("bench"), this.concurrency, this.prefetch,
				10 * 1024 * 1024, false, Duration.ofSeconds(30), Duration.ofSeconds(30));
		TaskWorker worker = TaskWorker
			.builder(broker, registry, protocol,
					new ErrorQueue(broker, topology, settings.name(), settings.confirmTimeout()), topology, router,
					settings)
			.build();
		BrokerTaskClient client = new BrokerTaskClient(broker, topology, router, protocol, null);
		broker.declare(topology);
		try {
			long cpu = RawRabbitBaseline.cpuNanos();
			long publishNanos = publish(client, messages);
			long publishCpu = RawRabbitBaseline.cpuNanos() - cpu;
			cpu = RawRabbitBaseline.cpuNanos();
			long start = System.nanoTime();
			worker.start();
			while (tasks.runs.get() < messages) {
				TimeUnit.MILLISECONDS.sleep(1);
			}
			long drainNanos = tasks.clock.sinceFirstDelivery();
			this.startNanos.add(tasks.clock.toFirstDelivery(start));
			long drainCpu = RawRabbitBaseline.cpuNanos() - cpu;
			worker.stop();
			return new RawRabbitBaseline.Throughput(messages, publishNanos, drainNanos, publishCpu, drainCpu);
		}
		finally {
			worker.stop();
			delete(topology);
			broker.destroy();
		}
	}

	private long publish(BrokerTaskClient client, int messages) throws InterruptedException {
		Semaphore inFlight = new Semaphore(this.window);
		AtomicReference<Throwable> failure = new AtomicReference<>();
		long start = System.nanoTime();
		for (int i = 0; i < messages; i++) {
			inFlight.acquire();
			CompletableFuture<?> confirmed = client.sendAsync("bench.noop", List.of(), Map.of(), TaskOptions.defaults(),
					Object.class);
			confirmed.whenComplete((handle, ex) -> {
				if (ex != null) {
					failure.compareAndSet(null, ex);
				}
				inFlight.release();
			});
		}
		if (!inFlight.tryAcquire(this.window, 60, TimeUnit.SECONDS)) {
			throw new IllegalStateException("Publishes were not confirmed within 60 s");
		}
		if (failure.get() != null) {
			throw new IllegalStateException("A publish failed", failure.get());
		}
		return System.nanoTime() - start;
	}

	private void delete(Topology topology) throws Exception {
		try (Connection connection = this.connectionFactory.getRabbitConnectionFactory().newConnection()) {
			Channel channel = connection.createChannel();
			for (Topology.QueueBinding binding : topology.bindings()) {
				channel.queueDelete(binding.queue());
			}
			for (String errorQueue : topology.errorQueueNames()) {
				channel.queueDelete(errorQueue);
			}
			channel.exchangeDelete(topology.exchange());
		}
	}

	private static double median(List<Double> values) {
		List<Double> sorted = values.stream().sorted().toList();
		int middle = sorted.size() / 2;
		return (sorted.size() % 2 == 1) ? sorted.get(middle) : (sorted.get(middle - 1) + sorted.get(middle)) / 2;
	}

	private static List<String> rounded(List<Double> values) {
		return values.stream().map((value) -> String.format(Locale.ROOT, "%.2f", value)).toList();
	}

	private static String load() {
		try {
			return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
		}
		catch (IOException ex) {
			return "unknown";
		}
	}

	private static void print(String what, RawRabbitBaseline.Throughput throughput) {
		System.out.printf(Locale.ROOT,
				"%-40s publish %,8.0f tasks/s (%.2f s), drain %,8.0f tasks/s (%.2f s); this process's CPU per task: "
						+ "publish %.1f µs, drain %.1f µs%n",
				what, throughput.publishRate(), throughput.publishSeconds(), throughput.drainRate(),
				throughput.drainSeconds(), throughput.publishCpuMicros(), throughput.drainCpuMicros());
	}

	private static Map<String, String> options(String[] args) {
		Map<String, String> options = new LinkedHashMap<>();
		for (int i = 0; i + 1 < args.length; i += 2) {
			if (!args[i].startsWith("--")) {
				throw new IllegalArgumentException("Expected --name value, got '" + args[i] + "'");
			}
			options.put(args[i].substring(2), args[i + 1]);
		}
		return options;
	}

	/**
	 * The benchmark's task: does nothing but count.
	 */
	public static final class NoOpTasks {

		final AtomicInteger runs = new AtomicInteger();

		final DrainClock clock = new DrainClock();

		public void noop() {
			this.clock.delivered();
			this.runs.incrementAndGet();
		}

	}

}
