package io.celeriac.benchmarks.delay;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import io.celeriac.broker.Delivery;
import io.celeriac.broker.memory.InMemoryBroker;
import io.celeriac.delay.ClaimedTask;
import io.celeriac.delay.DelayedTask;
import io.celeriac.delay.DelayedTaskScheduler;
import io.celeriac.delay.DelayedTaskStore;
import io.celeriac.delay.memory.InMemoryDelayedTaskStore;
import io.celeriac.delay.redis.RedisDelayedTaskStore;
import io.celeriac.protocol.CeleryProtocol;
import io.celeriac.protocol.TaskMessage;
import io.celeriac.protocol.WireMessage;
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

import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * Hands N tasks with an {@code eta} an hour ahead to a {@link TaskWorker} (each is
 * decoded, parked in the delayed task store and acknowledged, as a delivery from the
 * broker would be) and measures the worker's heap after a full GC before and after: once
 * with the Redis store, and, as the baseline in the same run, with the in-memory store
 * that holds them on the heap. Then, with the N tasks still waiting in Redis, sends
 * {@code --due} tasks due over 3 seconds, starting {@code --lead} seconds ahead, and
 * reports how late the worker ran them: alternately, {@code --rounds} times, with a
 * scheduler that polls every 50 ms and with one that sleeps until the store's next due
 * time (at most 50 ms).
 * <p>
 * Arguments (all optional): {@code --count 1000000}, {@code --due 2000},
 * {@code --threads 8}, {@code --rounds 2}, {@code --lead 5},
 * {@code --redis-host 127.0.0.1}, {@code --redis-port 6379}. Redis keys have a unique
 * prefix and are deleted afterwards.
 *
 * @author Celeriac team
 */
public final class DelayedTaskHeapBenchmark {

	private final CeleryProtocol protocol = new CeleryProtocol(JsonMapper.builder().build());

	private final Topology topology = new Topology("bench_exchange", "bench-", "platform.fifo", Set.of("bench"),
			QueueType.CLASSIC, ".error");

	private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();

	private final List<Long> lateness = Collections.synchronizedList(new ArrayList<>());

	private DelayedTaskHeapBenchmark() {
	}

	public static void main(String[] args) throws Exception {
		Map<String, String> options = options(args);
		int count = Integer.parseInt(options.getOrDefault("count", "1000000"));
		int due = Integer.parseInt(options.getOrDefault("due", "2000"));
		int threads = Integer.parseInt(options.getOrDefault("threads", "8"));
		int rounds = Integer.parseInt(options.getOrDefault("rounds", "2"));
		int lead = Integer.parseInt(options.getOrDefault("lead", "5"));
		LettuceConnectionFactory redis = new LettuceConnectionFactory(
				new RedisStandaloneConfiguration(options.getOrDefault("redis-host", "127.0.0.1"),
						Integer.parseInt(options.getOrDefault("redis-port", "6379"))));
		redis.afterPropertiesSet();
		redis.start();
		String prefix = "bench-delay-" + UUID.randomUUID() + ":";
		DelayedTaskHeapBenchmark benchmark = new DelayedTaskHeapBenchmark();
		try {
			benchmark.run(count, due, threads, rounds, lead, redis, prefix);
		}
		finally {
			StringRedisTemplate template = new StringRedisTemplate(redis);
			String tag = "{" + prefix + "delayed}";
			template.unlink(List.of(tag + ":due", tag + ":claimed", tag + ":tasks", tag + ":queues"));
			redis.destroy();
		}
	}

	private void run(int count, int due, int threads, int rounds, int lead, LettuceConnectionFactory redis,
			String prefix) throws Exception {
		System.out.printf(Locale.ROOT, "Delayed task heap benchmark: %,d tasks an hour ahead, %d threads, JVM %s%n",
				count, threads, Runtime.version());
		InMemoryDelayedTaskStore memoryStore = new InMemoryDelayedTaskStore();
		long baseline = park(count, threads, worker(new InMemoryBroker(), memoryStore), memoryStore, "in-memory");
		memoryStore = null;
		usedHeapAfterGc();
		RedisDelayedTaskStore redisStore = new RedisDelayedTaskStore(redis, prefix, this.protocol.mapper());
		InMemoryBroker broker = new InMemoryBroker();
		TaskWorker worker = worker(broker, redisStore);
		long growth = park(count, threads, worker, redisStore, "Redis");
		System.out.printf(Locale.ROOT,
				"Heap growth per %,d waiting tasks: Redis store %,.1f MB, in-memory baseline %,.1f MB; ratio %.3f%n",
				count, growth / 1e6, baseline / 1e6, (double) growth / baseline);
		broker.declare(this.topology);
		worker.start();
		// in the same run, alternately: the scheduler polling every 50 ms regardless of
		// the
		// next due time (as before nextDue), and sleeping until the next due time
		for (int round = 0; round < rounds; round++) {
			onTime(due, lead, broker, new FixedPolling(redisStore), "fixed 50 ms polling");
			onTime(due, lead, broker, redisStore, "sleeping until the next due time (50 ms at most)");
		}
		worker.stop();
	}

	private long park(int count, int threads, TaskWorker worker, DelayedTaskStore store, String label)
			throws InterruptedException {
		long before = usedHeapAfterGc();
		Instant eta = Instant.now().plus(Duration.ofHours(1));
		long start = System.nanoTime();
		ExecutorService pool = Executors.newFixedThreadPool(threads);
		int perThread = count / threads;
		for (int t = 0; t < threads; t++) {
			int share = (t == threads - 1) ? count - perThread * (threads - 1) : perThread;
			pool.execute(() -> {
				for (int i = 0; i < share; i++) {
					worker.handle(new ParkedDelivery(message(i, eta)));
				}
			});
		}
		pool.shutdown();
		pool.awaitTermination(1, TimeUnit.HOURS);
		double seconds = (System.nanoTime() - start) / 1e9;
		long after = usedHeapAfterGc();
		System.out.printf(Locale.ROOT,
				"%s store: parked %,d tasks in %.1f s (%,.0f/s); store size %,d; heap after GC %,.1f MB -> %,.1f MB "
						+ "(+%,.1f MB)%n",
				label, count, seconds, count / seconds, store.size(), before / 1e6, after / 1e6,
				(after - before) / 1e6);
		return after - before;
	}

	private void onTime(int due, int lead, InMemoryBroker broker, DelayedTaskStore store, String label)
			throws InterruptedException {
		this.lateness.clear();
		DelayedTaskScheduler scheduler = new DelayedTaskScheduler(store, broker,
				DelayedTaskScheduler.Settings.defaults());
		scheduler.start();
		BrokerTaskClient client = new BrokerTaskClient(broker, this.topology, new FirstSegmentTaskRouter(),
				this.protocol, null);
		Instant first = Instant.now().plusSeconds(lead);
		for (int i = 0; i < due; i++) {
			Instant eta = first.plusMillis(3000L * i / due);
			client.send("bench.record", List.of(eta.toEpochMilli()), Map.of(), TaskOptions.defaults().withEta(eta),
					Object.class);
		}
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
		while (this.lateness.size() < due && System.nanoTime() < deadline) {
			Thread.sleep(100);
		}
		scheduler.stop();
		List<Long> sorted = new ArrayList<>(this.lateness);
		Collections.sort(sorted);
		System.out.printf(Locale.ROOT,
				"On time with %,d tasks waiting in Redis, %s: %,d due tasks ran %d ms (p50), %d ms (p90), %d ms (p99), "
						+ "%d ms (max) after their eta; none early: %s; load average %.1f%n",
				store.size(), label, sorted.size(), sorted.get(sorted.size() / 2), sorted.get(sorted.size() * 9 / 10),
				sorted.get(sorted.size() * 99 / 100), sorted.get(sorted.size() - 1), sorted.get(0) >= 0,
				ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
	}

	private TaskWorker worker(InMemoryBroker broker, DelayedTaskStore store) {
		TaskRegistry registry = new TaskRegistry();
		try {
			registry.register(new TaskMethod("bench.record", this,
					DelayedTaskHeapBenchmark.class.getMethod("record", long.class)));
		}
		catch (NoSuchMethodException ex) {
			throw new IllegalStateException(ex);
		}
		WorkerSettings settings = new WorkerSettings("bench@heap", List.of("bench"), 2, 100, 1 << 20, false,
				Duration.ofSeconds(5), Duration.ofSeconds(10));
		return TaskWorker
			.builder(broker, registry, this.protocol,
					new ErrorQueue(broker, this.topology, settings.name(), settings.confirmTimeout()), this.topology,
					new FirstSegmentTaskRouter(), settings)
			.delayedTasks(store)

			.build();
	}

	/**
	 * The benchmark's task: records how late it runs.
	 * @param dueMillis when it was due, epoch milliseconds
	 */
	public void record(long dueMillis) {
		this.lateness.add(System.currentTimeMillis() - dueMillis);
	}

	private WireMessage message(int i, Instant eta) {
		TaskOptions options = TaskOptions.defaults().withEta(eta);
		String id = UUID.randomUUID().toString();
		var args = this.protocol.mapper().createArrayNode().add(i);
		var kwargs = this.protocol.mapper().createObjectNode();
		var headers = new io.celeriac.protocol.TaskHeaders("java", "bench.record", id, null,
				io.celeriac.protocol.CeleryTime.format(options.eta()), null, null, null, 0,
				io.celeriac.protocol.TimeLimit.NONE, id, null, "(" + i + ",)", "{}", "gen1@bench", true, Map.of());
		return this.protocol.encode(new TaskMessage(headers,
				new io.celeriac.protocol.TaskBody(args, kwargs, this.protocol.emptyEmbed()), "reply", 0, null));
	}

	private long usedHeapAfterGc() {
		for (int i = 0; i < 3; i++) {
			System.gc();
		}
		return this.memory.getHeapMemoryUsage().getUsed();
	}

	private static Map<String, String> options(String[] args) {
		Map<String, String> options = new java.util.HashMap<>();
		for (int i = 0; i + 1 < args.length; i += 2) {
			options.put(args[i].replaceFirst("^--", ""), args[i + 1]);
		}
		return options;
	}

	/**
	 * A store that does not tell when its next task is due, so that the scheduler polls
	 * at a fixed interval: the behaviour before {@link DelayedTaskStore#nextDue()}.
	 */
	private record FixedPolling(DelayedTaskStore store) implements DelayedTaskStore {

		@Override
		public void schedule(DelayedTask task) {
			this.store.schedule(task);
		}

		@Override
		public List<ClaimedTask> claimDue(Instant now, int max, Duration lease) {
			return this.store.claimDue(now, max, lease);
		}

		@Override
		public void remove(ClaimedTask claimed) {
			this.store.remove(claimed);
		}

		@Override
		public void removeAll(List<ClaimedTask> claimed) {
			this.store.removeAll(claimed);
		}

		@Override
		public long size() {
			return this.store.size();
		}

		@Override
		public long countDelayed(String queue) {
			return this.store.countDelayed(queue);
		}

	}

	/**
	 * A delivery handed straight to the worker, as the broker would hand it.
	 */
	private record ParkedDelivery(WireMessage message) implements Delivery {

		@Override
		public String queue() {
			return "bench-bench";
		}

		@Override
		public String routingKey() {
			return "bench";
		}

		@Override
		public boolean redelivered() {
			return false;
		}

		@Override
		public void ack() {
		}

		@Override
		public void reject(boolean requeue) {
		}

		@Override
		public void touch(java.time.Duration extension) {
			Delivery.requirePositive(extension);
		}

	}

}
