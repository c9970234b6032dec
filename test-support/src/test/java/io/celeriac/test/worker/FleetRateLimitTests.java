package io.celeriac.test.worker;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import io.celeriac.delay.DelayedTaskScheduler;
import io.celeriac.delay.redis.RedisDelayedTaskStore;
import io.celeriac.execution.TaskLifecycleListener;
import io.celeriac.limit.redis.RedisLimiters;
import io.celeriac.protocol.CeleryProtocol;
import io.celeriac.protocol.TaskMessage;
import io.celeriac.result.ResultWatcher;
import io.celeriac.result.TaskResult;
import io.celeriac.result.TaskState;
import io.celeriac.result.memory.InMemoryResultStore;
import io.celeriac.task.BrokerTaskClient;
import io.celeriac.task.CurrentTask;
import io.celeriac.task.Deferrable;
import io.celeriac.task.TaskClient;
import io.celeriac.task.TaskMethod;
import io.celeriac.task.TaskOptions;
import io.celeriac.task.TaskRegistry;
import io.celeriac.test.broker.RabbitTestBroker;
import io.celeriac.test.celery.CeleryTopology;
import io.celeriac.test.celery.PythonCelery;
import io.celeriac.test.redis.RedisConnections;
import io.celeriac.test.services.RabbitEndpoint;
import io.celeriac.test.services.RealServices;
import io.celeriac.test.services.RedisEndpoint;
import io.celeriac.test.services.ServiceIsolation;
import io.celeriac.topology.FirstSegmentTaskRouter;
import io.celeriac.topology.Topology;
import io.celeriac.worker.ErrorQueue;
import io.celeriac.worker.TaskRateLimits;
import io.celeriac.worker.TaskWorker;
import io.celeriac.worker.WorkerExtensions;
import io.celeriac.worker.WorkerSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.util.ReflectionUtils;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A fleet-wide rate limit on the production setup: two workers, each with its own
 * RabbitMQ and Redis connections, scheduler and limiters as two processes would have,
 * share one rate per task. A task over the rate is parked in the Redis delayed task store
 * for its turn, so neither worker holds the waiting tasks, and it runs then as the same
 * attempt. A task sent by Python Celery is limited alike.
 *
 * @author Celeriac team
 */
@RealServices
class FleetRateLimitTests {

	private static final int CONCURRENCY = 2;

	private static final int PREFETCH = 5;

	private final RabbitEndpoint rabbit;

	private final RedisEndpoint redis;

	private final ServiceIsolation isolation;

	private final String keyPrefix;

	private final CeleryProtocol protocol = new CeleryProtocol(JsonMapper.builder().build());

	private final InMemoryResultStore results = new InMemoryResultStore();

	private final Runs runs = new Runs();

	private final List<String> delayed = new CopyOnWriteArrayList<>();

	private final List<AutoCloseable> closing = new ArrayList<>();

	private final List<Worker> workers = new ArrayList<>();

	FleetRateLimitTests(RabbitEndpoint rabbit, RedisEndpoint redis, ServiceIsolation isolation) {
		this.rabbit = rabbit;
		this.redis = redis;
		this.isolation = isolation;
		this.keyPrefix = isolation.redisKeyPrefix() + UUID.randomUUID() + ":";
	}

	@AfterEach
	void stopTheFleet() throws Exception {
		for (int i = this.closing.size() - 1; i >= 0; i--) {
			this.closing.get(i).close();
		}
	}

	@Test
	void twoWorkersDrainTwoHundredTasksAtTwentyPerSecondWhileTheWaitingOnesSitInTheStore() {
		Topology topology = startFleet(Map.of());
		Worker first = this.workers.get(0);
		TaskClient client = new BrokerTaskClient(first.rabbit.broker(), topology, new FirstSegmentTaskRouter(),
				this.protocol, null);
		String queue = topology.queueName("fleet");
		int total = 200;
		int limit = 20;
		Duration interval = Duration.ofSeconds(1).dividedBy(limit);
		Instant start = Instant.now();
		List<CompletableFuture<?>> sent = new ArrayList<>();
		for (int i = 0; i < total; i++) {
			sent.add(client.sendAsync("fleet.tick", List.of(i), Map.of(), TaskOptions.defaults(), Void.class));
		}
		CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).join();
		// whatever has not run is in the queue or the delayed task store, but for what
		// the
		// two workers may hold unacknowledged: their prefetch and the tasks they run
		int held = this.workers.size() * CONCURRENCY * (PREFETCH + 1);
		List<long[]> samples = new CopyOnWriteArrayList<>();
		await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(100)).until(() -> {
			long ready = first.rabbit.broker().messageCount(queue);
			long parked = first.store.size();
			long ran = this.runs.count("fleet.tick");
			samples.add(new long[] { ready, parked, ran });
			return ran >= total;
		});
		List<Instant> times = this.runs.times("fleet.tick");
		System.out.printf("fleet rate limit: %d tasks in %d ms, at most %d in a second, at most %d parked at once%n",
				times.size(), Duration.between(start, times.get(times.size() - 1)).toMillis(), busiestSecond(times),
				samples.stream().mapToLong((sample) -> sample[1]).max().orElse(0));
		assertThat(this.runs.arguments("fleet.tick")).doesNotHaveDuplicates().hasSize(total);
		assertThat(this.runs.workers("fleet.tick")).containsExactlyInAnyOrder("worker-1", "worker-2");
		// never faster than the rate: a burst of 20, then one turn every 50 ms, so the
		// k-th run (from 0) comes at least k - 19 turns after the first one was counted
		for (int k = limit; k < times.size(); k++) {
			assertThat(times.get(k)).as("run %d", k)
				.isAfterOrEqualTo(start.plus(interval.multipliedBy(k - limit + 1)).minusMillis(20));
		}
		assertThat(Duration.between(start, times.get(total - 1))).isGreaterThanOrEqualTo(Duration.ofMillis(8_980));
		// a window of a second sees the burst and a second's turns (one more where a turn
		// falls on each end); turns published late on a busy machine (up to half a second
		// here) can join the next ones
		assertThat(busiestSecond(times)).isLessThanOrEqualTo(limit + limit + limit / 2);
		// the waiting tasks sat in the store, not in either worker
		assertThat(samples).allSatisfy((sample) -> assertThat(sample[0] + sample[1] + sample[2])
			.as("ready %d + parked %d + ran %d", sample[0], sample[1], sample[2])
			.isGreaterThanOrEqualTo(total - held));
		assertThat(samples).anySatisfy((sample) -> assertThat(sample[1]).isGreaterThanOrEqualTo(total / 2));
		assertThat(this.delayed).hasSizeGreaterThanOrEqualTo(total / 2);
		// each ran as its first attempt, never as a retry
		assertThat(this.results.find(this.runs.ids("fleet.tick").get(total - 1)).map(TaskResult::retries)).contains(0);
		assertThat(this.runs.ids("fleet.tick"))
			.allSatisfy((id) -> assertThat(this.results.find(id).map(TaskResult::state)).contains(TaskState.SUCCESS));
		await().atMost(Duration.ofSeconds(10)).until(() -> first.store.size() == 0);
	}

	@Test
	void aTaskSentByPythonCeleryIsLimitedAlike() {
		PythonCelery python = PythonCelery.assumeInstalled();
		// one every five seconds, with no burst
		Topology topology = startFleet(Map.of("fleet.slow", "0.2/s"));
		CeleryTopology celery = CeleryTopology.of(this.rabbit, topology.exchange(), topology.queueNamePrefix(), "fleet")
			.withMonitorQueue(null)
			.withoutDeclaring();
		String firstId = python.sendTask(celery, "fleet.slow", List.of(1));
		String secondId = python.sendTask(celery, "fleet.slow", List.of(2));
		await().atMost(Duration.ofSeconds(30)).until(() -> this.runs.count("fleet.slow") == 2);
		List<Instant> times = this.runs.times("fleet.slow");
		System.out.printf("Python tasks rate limited: runs %d ms apart%n",
				Duration.between(times.get(0), times.get(1)).toMillis());
		assertThat(this.runs.ids("fleet.slow")).containsExactly(firstId, secondId);
		assertThat(this.delayed).contains(secondId);
		assertThat(Duration.between(times.get(0), times.get(1))).isGreaterThan(Duration.ofMillis(4_500));
		assertThat(this.results.find(secondId).map(TaskResult::retries)).contains(0);
	}

	private Topology startFleet(Map<String, String> rates) {
		Topology topology = null;
		for (int i = 1; i <= 2; i++) {
			Worker worker = new Worker("worker-" + i, rates);
			if (topology == null) {
				topology = worker.rabbit.newTopology("fleet");
				worker.rabbit.broker().declare(topology);
			}
			worker.start(topology);
			this.workers.add(worker);
		}
		return topology;
	}

	private static int busiestSecond(List<Instant> times) {
		int busiest = 0;
		for (int i = 0, j = 0; i < times.size(); i++) {
			while (!times.get(j).plusSeconds(1).isAfter(times.get(i))) {
				j++;
			}
			busiest = Math.max(busiest, i - j + 1);
		}
		return busiest;
	}

	/**
	 * One worker as a process would run it, with its own connections.
	 */
	private final class Worker {

		private final String name;

		private final Map<String, String> rates;

		private final RabbitTestBroker rabbit;

		private final RedisDelayedTaskStore store;

		private final RedisLimiters limiters;

		Worker(String name, Map<String, String> rates) {
			this.name = name;
			this.rates = rates;
			LettuceConnectionFactory connections = RedisConnections.start(FleetRateLimitTests.this.redis.host(),
					FleetRateLimitTests.this.redis.port());
			FleetRateLimitTests.this.closing.add(connections::destroy);
			this.store = new RedisDelayedTaskStore(connections, FleetRateLimitTests.this.keyPrefix,
					JsonMapper.builder().build());
			this.limiters = new RedisLimiters(connections, FleetRateLimitTests.this.keyPrefix);
			FleetRateLimitTests.this.closing.add(this.limiters);
			this.rabbit = new RabbitTestBroker(FleetRateLimitTests.this.rabbit, FleetRateLimitTests.this.isolation,
					this.store);
			FleetRateLimitTests.this.closing.add(this.rabbit);
		}

		void start(Topology topology) {
			FleetTasks tasks = new FleetTasks(this.name, FleetRateLimitTests.this.runs);
			TaskRegistry registry = new TaskRegistry();
			for (String method : List.of("tick", "slow")) {
				registry.register(new TaskMethod("fleet." + method, tasks,
						ReflectionUtils.findMethod(FleetTasks.class, method, int.class)));
			}
			WorkerSettings settings = new WorkerSettings(this.name, List.of("fleet"), CONCURRENCY, PREFETCH, 65536,
					false, Duration.ofSeconds(5), Duration.ofSeconds(10));
			DelayedTaskScheduler scheduler = new DelayedTaskScheduler(this.store, this.rabbit.broker(),
					new DelayedTaskScheduler.Settings(Duration.ofMillis(20), 100, Duration.ofSeconds(30),
							Duration.ofSeconds(10)));
			TaskLifecycleListener listener = new TaskLifecycleListener() {

				@Override
				public void onDelay(TaskMessage task) {
					FleetRateLimitTests.this.delayed.add(task.id());
				}

			};
			TaskWorker worker = TaskWorker
				.builder(this.rabbit.broker(), registry, FleetRateLimitTests.this.protocol,
						new ErrorQueue(this.rabbit.broker(), topology, this.name, settings.confirmTimeout()), topology,
						new FirstSegmentTaskRouter(), settings)
				.results(FleetRateLimitTests.this.results)
				.delayedTasks(this.store)
				.extensions(new WorkerExtensions(List.of(listener), List.of(), List.of()))
				.rateLimits(new TaskRateLimits(this.limiters, this.rates))
				.build();
			scheduler.start();
			worker.start();
			FleetRateLimitTests.this.closing.add(scheduler::stop);
			FleetRateLimitTests.this.closing.add(worker::stop);
		}

	}

	/**
	 * What ran, where and when.
	 */
	static final class Runs {

		private final List<Run> runs = new CopyOnWriteArrayList<>();

		void add(String task, String worker, int argument) {
			CurrentTask current = CurrentTask.get();
			assertThat(current).isNotNull();
			this.runs.add(new Run(task, worker, argument, current.id(), Instant.now()));
		}

		long count(String task) {
			return this.runs.stream().filter((run) -> run.task().equals(task)).count();
		}

		List<Instant> times(String task) {
			return this.runs.stream().filter((run) -> run.task().equals(task)).map(Run::at).sorted().toList();
		}

		List<Integer> arguments(String task) {
			return this.runs.stream().filter((run) -> run.task().equals(task)).map(Run::argument).toList();
		}

		List<String> ids(String task) {
			return this.runs.stream().filter((run) -> run.task().equals(task)).map(Run::id).toList();
		}

		List<String> workers(String task) {
			return this.runs.stream().filter((run) -> run.task().equals(task)).map(Run::worker).distinct().toList();
		}

	}

	record Run(String task, String worker, int argument, String id, Instant at) {

	}

	/**
	 * The tasks of the fleet; each records its run.
	 */
	public static class FleetTasks {

		private final String worker;

		private final Runs runs;

		FleetTasks(String worker, Runs runs) {
			this.worker = worker;
			this.runs = runs;
		}

		@Deferrable(name = "fleet.tick", rateLimit = "20/s")
		public void tick(int n) {
			this.runs.add("fleet.tick", this.worker, n);
		}

		@Deferrable(name = "fleet.slow")
		public void slow(int n) {
			this.runs.add("fleet.slow", this.worker, n);
		}

	}

}
