package io.celeriac.test.redis;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.celeriac.broker.redis.RedisBroker;
import io.celeriac.cache.CacheRegionSettings;
import io.celeriac.cache.CacheRegions;
import io.celeriac.cache.CacheSettings;
import io.celeriac.cache.micrometer.MicrometerCacheMetrics;
import io.celeriac.cache.redis.RedisCacheStore;
import io.celeriac.debounce.DebounceDecision.Outcome;
import io.celeriac.debounce.redis.RedisDebouncer;
import io.celeriac.delay.DelayedTaskScheduler;
import io.celeriac.delay.redis.RedisDelayedTaskStore;
import io.celeriac.limit.Limited;
import io.celeriac.limit.LimitedMethodInterceptor;
import io.celeriac.limit.Limiter;
import io.celeriac.limit.LimiterDefinition;
import io.celeriac.limit.LimiterUnavailableException;
import io.celeriac.limit.Permit;
import io.celeriac.limit.RateLimiter;
import io.celeriac.limit.redis.RedisLimiters;
import io.celeriac.lock.HeldLock;
import io.celeriac.lock.LockDefaults;
import io.celeriac.lock.LockUnavailableException;
import io.celeriac.lock.Locked;
import io.celeriac.lock.LockedMethodInterceptor;
import io.celeriac.lock.redis.RedisDistributedLock;
import io.celeriac.protocol.CeleryProtocol;
import io.celeriac.redis.RedisClientSettings;
import io.celeriac.registry.WorkerDescription;
import io.celeriac.registry.redis.RedisWorkerRegistry;
import io.celeriac.result.ResultWatcher;
import io.celeriac.result.memory.InMemoryResultStore;
import io.celeriac.task.BrokerTaskClient;
import io.celeriac.task.TaskClient;
import io.celeriac.task.TaskHandle;
import io.celeriac.task.TaskMethod;
import io.celeriac.task.TaskOptions;
import io.celeriac.task.TaskRegistry;
import io.celeriac.test.cache.CacheStoreContractTests;
import io.celeriac.test.cache.Calculator;
import io.celeriac.test.resource.OwnedResources;
import io.celeriac.topology.FirstSegmentTaskRouter;
import io.celeriac.topology.QueueType;
import io.celeriac.topology.Topology;
import io.celeriac.worker.ErrorQueue;
import io.celeriac.worker.TaskWorker;
import io.celeriac.worker.WorkerSettings;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.aop.framework.ProxyFactory;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Stops and restarts (or freezes) a Redis server of the test's own while several threads
 * call locks and limiters, with the client configured as Celeriac configures the
 * application's ({@link RedisClientSettings}): every call fails within its own timeout
 * (the command timeout when it has none) plus 500 ms while Redis is down, with
 * {@link LockUnavailableException} or {@link LimiterUnavailableException}, and succeeds
 * again within 2 s of Redis's return; cache regions, the delayed-task scheduler and the
 * Redis broker recover as fast. The figures are printed for docs/reliability.md.
 *
 * @author Celeriac team
 */
class RedisOutageTests {

	private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(2);

	private static final Duration MARGIN = Duration.ofMillis(500);

	private static final Duration RECOVERY = Duration.ofSeconds(2);

	private static final Duration OUTAGE = Duration.ofSeconds(5);

	private static final Duration LOCK_TIMEOUT = Duration.ofSeconds(2);

	private static final Duration LIMITER_TIMEOUT = Duration.ofSeconds(1);

	private final OwnedResources resources = new OwnedResources();

	@AfterEach
	void closeResources() throws Exception {
		this.resources.close();
	}

	@Test
	void locksAndLimitersFailWithinTheirTimeoutWhileRedisIsDownAndWorkWithinTwoSecondsOfItsReturn() throws Exception {
		RedisServerProcess server = own(RedisServerProcess.start());
		LettuceConnectionFactory connections = server.connectionFactory(
				new RedisClientSettings(COMMAND_TIMEOUT, RedisClientSettings.DEFAULTS.maxReconnectDelay()),
				this.resources);
		RedisDistributedLock lock = own(new RedisDistributedLock(connections, "outage:"));
		RedisLimiters limiters = own(new RedisLimiters(connections, "outage:"));
		Limiter limiter = limiters.limiter("outage", 1000, Duration.ofMinutes(1));
		RateLimiter rate = limiters.rateLimiter("outage", 1_000_000, Duration.ofSeconds(1));
		AtomicLong keys = new AtomicLong();
		List<Caller> callers = new ArrayList<>();
		for (int i = 0; i < 2; i++) {
			callers.add(new Caller("lock.acquire", LOCK_TIMEOUT, (calls) -> {
				HeldLock held = calls
					.measure(() -> lock.acquire("a" + keys.incrementAndGet(), Duration.ofMinutes(1), LOCK_TIMEOUT));
				calls.measure("lock.release", COMMAND_TIMEOUT, held::release);
			}));
			callers.add(new Caller("lock.tryAcquire", COMMAND_TIMEOUT, (calls) -> calls
				.measure(() -> lock.tryAcquire("t" + keys.incrementAndGet(), Duration.ofMinutes(1)).orElseThrow())));
			callers.add(new Caller("limiter.acquire", LIMITER_TIMEOUT, (calls) -> {
				Permit permit = calls.measure(() -> limiter.acquire("p" + keys.incrementAndGet(), LIMITER_TIMEOUT));
				calls.measure("permit.release", COMMAND_TIMEOUT, permit::release);
			}));
			callers.add(new Caller("rateLimiter.tryAcquire", COMMAND_TIMEOUT,
					(calls) -> calls.measure(() -> rate.tryAcquire("r"))));
		}
		callers.forEach(Caller::start);
		try {
			await().atMost(Duration.ofSeconds(30)).until(() -> callers.stream().allMatch((c) -> c.successes() >= 3));
			server.stop();
			long down = System.nanoTime();
			// an outage of some seconds, throughout which every caller keeps failing
			await().during(OUTAGE)
				.atMost(OUTAGE.plusSeconds(30))
				.until(() -> callers.stream().allMatch((c) -> c.failuresStartedAfter(down) >= 3));
			long restarting = System.nanoTime();
			server.restart();
			long back = System.nanoTime();
			await().atMost(Duration.ofSeconds(30))
				.until(() -> callers.stream().allMatch((c) -> c.firstSuccessStartedAfter(back) != null));
			for (Caller caller : callers) {
				caller.stop();
			}
			List<Call> all = new ArrayList<>();
			callers.forEach((caller) -> all.addAll(caller.calls));
			List<Call> whileDown = all.stream().filter((c) -> c.start >= down && c.end <= restarting).toList();
			System.out.printf("Redis outage: %d calls while down (%d s), %d in all%n", whileDown.size(),
					Duration.ofNanos(restarting - down).toSeconds(), all.size());
			for (String name : all.stream().map(Call::name).distinct().sorted().toList()) {
				List<Call> failed = whileDown.stream().filter((c) -> c.name.equals(name)).toList();
				System.out.printf("  %-24s while down: %4d calls failed, longest %4d ms (bound %d ms)%n", name,
						failed.size(), failed.stream().mapToLong(Call::millis).max().orElse(0),
						failed.isEmpty() ? 0 : failed.get(0).bound.plus(MARGIN).toMillis());
			}
			assertThat(whileDown).as("calls while Redis was down").isNotEmpty().allSatisfy((call) -> {
				assertThat(call.failure).as(call.toString()).isNotNull();
				assertThat(call.failure).as(call.toString())
					.isInstanceOfAny(LockUnavailableException.class, LimiterUnavailableException.class);
			});
			assertThat(all).as("every call, before, during and after the outage").allSatisfy((call) -> {
				assertThat(call.duration()).as(call.toString()).isLessThanOrEqualTo(call.bound.plus(MARGIN));
				if (call.failure != null) {
					assertThat(call.failure).as(call.toString())
						.isInstanceOfAny(LockUnavailableException.class, LimiterUnavailableException.class);
				}
			});
			for (Caller caller : callers) {
				Call first = caller.firstSuccessStartedAfter(back);
				assertThat(first).isNotNull();
				Duration recovered = Duration.ofNanos(first.end - back);
				System.out.printf("  %-24s works again %4d ms after Redis is back%n", caller.name,
						recovered.toMillis());
				assertThat(recovered).as(caller.name + " after Redis is back").isLessThanOrEqualTo(RECOVERY);
			}
		}
		finally {
			for (Caller caller : callers) {
				caller.stop();
			}
		}
	}

	@Test
	void aLockOrLimiterCallFailsWithinItsOwnTimeoutWhenRedisHangs() throws Exception {
		RedisServerProcess server = own(RedisServerProcess.start());
		// a command timeout far longer than the callers' timeouts
		LettuceConnectionFactory connections = server.connectionFactory(
				new RedisClientSettings(Duration.ofSeconds(20), RedisClientSettings.DEFAULTS.maxReconnectDelay()),
				this.resources);
		RedisDistributedLock lock = own(new RedisDistributedLock(connections, "frozen:"));
		RedisLimiters limiters = own(new RedisLimiters(connections, "frozen:"));
		Limiter limiter = limiters.limiter("frozen", 10, Duration.ofMinutes(1));
		lock.tryAcquire("warm", Duration.ofSeconds(1)).orElseThrow().release();
		limiter.tryAcquire("warm").orElseThrow().release();
		server.freeze();
		List<Caller> callers = new ArrayList<>();
		AtomicInteger keys = new AtomicInteger();
		for (int i = 0; i < 2; i++) {
			callers.add(new Caller("lock.acquire", LOCK_TIMEOUT, (calls) -> calls
				.measure(() -> lock.acquire("f" + keys.incrementAndGet(), Duration.ofMinutes(1), LOCK_TIMEOUT))));
			callers.add(new Caller("limiter.acquire", LIMITER_TIMEOUT,
					(calls) -> calls.measure(() -> limiter.acquire("f" + keys.incrementAndGet(), LIMITER_TIMEOUT))));
		}
		callers.forEach(Caller::start);
		try {
			await().atMost(Duration.ofSeconds(30)).until(() -> callers.stream().allMatch((c) -> c.calls.size() >= 2));
		}
		finally {
			callers.forEach(Caller::stop);
			server.thaw();
		}
		for (Caller caller : callers) {
			System.out.printf("Redis frozen: %-16s %d calls, longest %d ms (timeout %d ms)%n", caller.name,
					caller.calls.size(), caller.calls.stream().mapToLong(Call::millis).max().orElse(0),
					caller.bound.toMillis());
			assertThat(caller.calls).allSatisfy((call) -> {
				assertThat(call.failure).as(call.toString())
					.isInstanceOfAny(LockUnavailableException.class, LimiterUnavailableException.class);
				assertThat(call.duration()).as(call.toString()).isLessThanOrEqualTo(call.bound.plus(MARGIN));
			});
		}
	}

	@Test
	void cacheRegionsTheSchedulerTheBrokerTheDebouncerAndTheRegistryWorkWithinTwoSecondsOfRedisReturning()
			throws Exception {
		// a Redis that serves as a broker keeps what it acknowledged (without persistence
		// a restart would forget the declared queues, and the broker refuses to publish)
		RedisServerProcess server = own(RedisServerProcess.start("--appendonly", "yes", "--appendfsync", "always"));
		LettuceConnectionFactory connections = server.connectionFactory(RedisClientSettings.DEFAULTS, this.resources);
		// cache regions, with Celeriac's default failure backoff
		SimpleMeterRegistry meters = new SimpleMeterRegistry();
		RedisCacheStore store = own(new RedisCacheStore(connections, "outage:", Duration.ofMillis(500)));
		CacheRegions regions = new CacheRegions(store,
				CacheSettings.of(Map.of(Calculator.SHORT_TERM, CacheRegionSettings.expiringAfter(Duration.ofHours(1)))),
				new JsonMapper(), new MicrometerCacheMetrics(meters));
		Calculator target = new Calculator();
		Calculator calculator = CacheStoreContractTests.proxy(target, regions);
		// a worker on the Redis broker, with the delayed-task store on the same Redis
		RedisDelayedTaskStore delayed = new RedisDelayedTaskStore(connections, "outage:delayed:",
				JsonMapper.builder().build());
		RedisBroker broker = new RedisBroker(connections, "outage:", Duration.ofSeconds(30), Duration.ofSeconds(1),
				delayed);
		Topology topology = new Topology("outage", "outage-", null, java.util.Set.of("outage"), QueueType.CLASSIC,
				".error");
		broker.declare(topology);
		Adder adder = new Adder();
		TaskRegistry registry = new TaskRegistry();
		registry.register(new TaskMethod("outage.add", adder, Adder.class.getMethod("add", int.class, int.class)));
		CeleryProtocol protocol = new CeleryProtocol(JsonMapper.builder().build());
		InMemoryResultStore results = new InMemoryResultStore();
		WorkerSettings settings = new WorkerSettings("outage@test", List.of("outage"), 2, 5, 65536, false,
				Duration.ofSeconds(5), Duration.ofSeconds(5));
		FirstSegmentTaskRouter router = new FirstSegmentTaskRouter();
		DelayedTaskScheduler scheduler = new DelayedTaskScheduler(delayed, broker, new DelayedTaskScheduler.Settings(
				Duration.ofMillis(50), 100, Duration.ofSeconds(30), Duration.ofSeconds(5)));
		TaskWorker worker = TaskWorker
			.builder(broker, registry, protocol,
					new ErrorQueue(broker, topology, settings.name(), settings.confirmTimeout()), topology, router,
					settings)
			.results(results)
			.delayedTasks(delayed)
			.build();
		RedisDebouncer debouncer = new RedisDebouncer(connections, "outage:");
		RedisWorkerRegistry workers = new RedisWorkerRegistry(connections, "outage:");
		ResultWatcher watcher = new ResultWatcher(results);
		TaskClient client = new BrokerTaskClient(broker, topology, router, protocol, watcher);
		scheduler.start();
		this.resources.add(scheduler::stop);
		worker.start();
		this.resources.add(worker::stop);
		this.resources.add(watcher::destroy);

		assertThat(calculator.square(2)).isEqualTo(4);
		assertThat(calculator.square(2)).isEqualTo(4);
		assertThat(target.squares()).isEqualTo(1);
		assertThat(client.send("outage.add", List.of(1, 2), Map.of(), TaskOptions.defaults(), Integer.class)
			.await(Duration.ofSeconds(20))).isEqualTo(3);
		assertThat(client
			.send("outage.add", List.of(2, 2), Map.of(), TaskOptions.defaults().withEta(Instant.now().plusMillis(200)),
					Integer.class)
			.await(Duration.ofSeconds(20))).isEqualTo(4);

		assertThat(debouncer.decide("before", Duration.ofMinutes(1), false).outcome()).isEqualTo(Outcome.NOW);
		workers.announce(worker("before"), Duration.ofMinutes(1));
		assertThat(workers.workers()).extracting(WorkerDescription::id).contains("before");

		server.stop();
		// while Redis is down, cached methods answer uncached and sending fails at once
		int squares = target.squares();
		assertThat(calculator.square(2)).isEqualTo(4);
		assertThat(target.squares()).isEqualTo(squares + 1);
		long sendStarted = System.nanoTime();
		boolean refused;
		try {
			client.send("outage.add", List.of(0, 0), Map.of(), TaskOptions.defaults(), Integer.class);
			refused = false;
		}
		catch (RuntimeException ex) {
			refused = true;
		}
		Duration refusal = Duration.ofNanos(System.nanoTime() - sendStarted);
		System.out.printf("Redis outage: a send while Redis was down was %s after %d ms%n",
				refused ? "refused" : "accepted", refusal.toMillis());
		assertThat(refused).as("a send while the Redis broker is down").isTrue();
		assertThat(refusal).isLessThanOrEqualTo(COMMAND_TIMEOUT.plus(MARGIN));

		server.restart();
		long back = System.nanoTime();
		AtomicInteger argument = new AtomicInteger(100);
		AtomicReferenceHandle immediate = new AtomicReferenceHandle();
		AtomicReferenceHandle delayedHandle = new AtomicReferenceHandle();
		// every capability is tried in each round, and the time it first works is kept
		Map<String, Probe> probes = new LinkedHashMap<>();
		probes.put("cache region (a fresh entry's second call served from Redis)", () -> {
			int n = argument.incrementAndGet();
			int before = target.squares();
			calculator.square(n);
			calculator.square(n);
			return target.squares() == before + 1;
		});
		probes.put("Redis broker (a send accepted)", () -> {
			immediate.handle = client.send("outage.add", List.of(3, 4), Map.of(), TaskOptions.defaults(),
					Integer.class);
			return true;
		});
		probes.put("delayed-task store (a send with an eta 200 ms ahead accepted)", () -> {
			delayedHandle.handle = client.send("outage.add", List.of(5, 5), Map.of(),
					TaskOptions.defaults().withEta(Instant.now().plusMillis(200)), Integer.class);
			return true;
		});
		probes.put("debouncer (a decision)",
				() -> debouncer.decide("after", Duration.ofMinutes(1), false).outcome() == Outcome.NOW);
		probes.put("worker registry (an announcement listed)", () -> {
			workers.announce(worker("after"), Duration.ofMinutes(1));
			return workers.workers().stream().anyMatch((described) -> described.id().equals("after"));
		});
		Map<String, Duration> recovered = new ConcurrentHashMap<>();
		await().atMost(Duration.ofSeconds(30)).until(() -> {
			probes.forEach((name, probe) -> {
				if (!recovered.containsKey(name) && works(probe)) {
					recovered.put(name, Duration.ofNanos(System.nanoTime() - back));
				}
			});
			return recovered.size() == probes.size();
		});
		assertThat(immediate.handle).isNotNull();
		assertThat(immediate.handle.await(Duration.ofSeconds(20))).isEqualTo(7);
		recovered.put("Redis broker (that task run, its result back)", Duration.ofNanos(System.nanoTime() - back));
		assertThat(delayedHandle.handle).isNotNull();
		assertThat(delayedHandle.handle.await(Duration.ofSeconds(20))).isEqualTo(10);
		recovered.put("delayed-task scheduler (that task run at its eta)", Duration.ofNanos(System.nanoTime() - back));
		recovered.entrySet()
			.stream()
			.sorted(Map.Entry.comparingByValue())
			.forEach((entry) -> System.out.printf("Redis back: %-66s after %4d ms%n", entry.getKey(),
					entry.getValue().toMillis()));
		assertThat(recovered).allSatisfy((name, took) -> {
			// the delayed task is due 200 ms after it was accepted
			Duration bound = name.startsWith("delayed-task scheduler") ? RECOVERY.plusMillis(200) : RECOVERY;
			assertThat(took).as(name + " after Redis is back").isLessThanOrEqualTo(bound);
		});
		assertThat(adder.calls.get()).isEqualTo(4);
	}

	@Test
	void aLockedOrLimitedMethodThatRanKeepsItsResultWhenRedisFailsBeforeTheRelease() {
		RedisServerProcess server = own(RedisServerProcess.start());
		LettuceConnectionFactory connections = server.connectionFactory(RedisClientSettings.DEFAULTS, this.resources);
		RedisDistributedLock lock = own(new RedisDistributedLock(connections, "guarded:"));
		RedisLimiters limiters = own(new RedisLimiters(connections, "guarded:",
				Map.of("partner", new LimiterDefinition(2, Duration.ofMinutes(1))), Map.of()));
		ProxyFactory proxies = new ProxyFactory(new Guarded(server));
		proxies.setProxyTargetClass(true);
		proxies.addAdvice(new LockedMethodInterceptor(() -> lock,
				() -> new LockDefaults(Duration.ofMinutes(1), Duration.ofSeconds(2), false)));
		proxies.addAdvice(new LimitedMethodInterceptor(() -> limiters));
		Guarded guarded = (Guarded) proxies.getProxy();
		// Redis goes away while each method runs: what the method did stands
		assertThat(guarded.settle()).isEqualTo("settled");
		server.restart();
		await().atMost(Duration.ofSeconds(10))
			.ignoreExceptions()
			.until(() -> lock.tryAcquire("probe", Duration.ofSeconds(1)).isPresent());
		assertThat(guarded.quote()).isEqualTo("quoted");
	}

	private static boolean works(Probe probe) {
		try {
			return probe.works();
		}
		catch (RuntimeException ex) {
			return false;
		}
	}

	private static WorkerDescription worker(String id) {
		return new WorkerDescription(id, "outage-host", 4242, List.of("outage-outage"), Instant.now(), "test", true,
				Instant.now(), List.of());
	}

	private <T extends AutoCloseable> T own(T resource) {
		return this.resources.own(resource);
	}

	/**
	 * The task the worker runs; it counts its calls.
	 */
	public static class Adder {

		final AtomicInteger calls = new AtomicInteger();

		public int add(int a, int b) {
			this.calls.incrementAndGet();
			return a + b;
		}

	}

	/**
	 * Methods that stop Redis while they run.
	 */
	public static class Guarded {

		private final RedisServerProcess server;

		Guarded(RedisServerProcess server) {
			this.server = server;
		}

		@Locked(key = "'invoice'", timeout = "2s")
		public String settle() {
			this.server.stop();
			return "settled";
		}

		@Limited(value = "partner", timeout = "1s")
		public String quote() {
			this.server.stop();
			return "quoted";
		}

	}

	@FunctionalInterface
	private interface Probe {

		boolean works();

	}

	private static final class AtomicReferenceHandle {

		volatile @Nullable TaskHandle<Integer> handle;

	}

	private record Call(String name, Duration bound, long start, long end, @Nullable Throwable failure) {

		Duration duration() {
			return Duration.ofNanos(this.end - this.start);
		}

		long millis() {
			return duration().toMillis();
		}

		@Override
		public String toString() {
			return this.name + " took " + millis() + " ms (bound " + this.bound.toMillis() + " ms) and "
					+ ((this.failure != null) ? "threw " + this.failure : "succeeded");
		}

	}

	/**
	 * A thread that calls again and again, recording each call's duration and outcome.
	 */
	private static final class Caller {

		private final String name;

		private final Duration bound;

		private final Body body;

		private final List<Call> calls = new CopyOnWriteArrayList<>();

		private final AtomicBoolean running = new AtomicBoolean(true);

		private final Thread thread;

		Caller(String name, Duration bound, Body body) {
			this.name = name;
			this.bound = bound;
			this.body = body;
			this.thread = new Thread(this::run, "outage-" + name);
			this.thread.setDaemon(true);
		}

		void start() {
			this.thread.start();
		}

		void stop() {
			this.running.set(false);
			try {
				this.thread.join(30_000);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}

		long successes() {
			return this.calls.stream().filter((call) -> call.failure == null).count();
		}

		long failuresStartedAfter(long instant) {
			return this.calls.stream().filter((call) -> call.failure != null && call.start >= instant).count();
		}

		@Nullable Call firstSuccessStartedAfter(long instant) {
			return this.calls.stream()
				.filter((call) -> call.failure == null && call.start >= instant && call.name.equals(this.name))
				.findFirst()
				.orElse(null);
		}

		private void run() {
			while (this.running.get()) {
				try {
					this.body.call(this);
				}
				catch (RuntimeException ex) {
					// recorded by measure
				}
				try {
					// pacing, so that failing calls do not spin
					Thread.sleep(5);
				}
				catch (InterruptedException ex) {
					return;
				}
			}
		}

		<T> T measure(ThrowingSupplier<T> call) {
			return measure(this.name, this.bound, call);
		}

		<T> T measure(String name, Duration bound, ThrowingSupplier<T> call) {
			long start = System.nanoTime();
			try {
				T result = call.get();
				this.calls.add(new Call(name, bound, start, System.nanoTime(), null));
				return result;
			}
			catch (RuntimeException ex) {
				this.calls.add(new Call(name, bound, start, System.nanoTime(), ex));
				throw ex;
			}
		}

	}

	@FunctionalInterface
	private interface Body {

		void call(Caller caller);

	}

	@FunctionalInterface
	private interface ThrowingSupplier<T> {

		T get();

	}

}
