package io.celeriac.benchmarks.lock;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.celeriac.lock.DistributedLock;
import io.celeriac.lock.HeldLock;
import io.celeriac.lock.redis.RedisDistributedLock;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import org.redisson.Redisson;
import org.redisson.api.RLock;
import org.redisson.api.RedissonClient;
import org.redisson.config.Config;

import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * Measures, in one run against one Redis: a Lettuce GET (the baseline), an uncontended
 * acquire and release of {@link RedisDistributedLock} and of Redisson's {@code RLock},
 * and the handoff latency of both under contention (8 threads, one key): the time from
 * the start of a release to the next holder's acquisition.
 *
 * <p>
 * Arguments: {@code [host] [port] [seconds per measurement]}, default
 * {@code 127.0.0.1 6379 5}.
 *
 * @author Celeriac team
 */
public final class LockBenchmark {

	private static final Duration EXPIRES = Duration.ofSeconds(30);

	private static final int THREADS = 8;

	private final String host;

	private final int port;

	private final Duration measurement;

	private final String prefix = "celeriac-bench-" + UUID.randomUUID().toString().substring(0, 8) + ":";

	private LockBenchmark(String host, int port, Duration measurement) {
		this.host = host;
		this.port = port;
		this.measurement = measurement;
	}

	public static void main(String[] arguments) throws Exception {
		String host = (arguments.length > 0) ? arguments[0] : "127.0.0.1";
		int port = (arguments.length > 1) ? Integer.parseInt(arguments[1]) : 6379;
		int seconds = (arguments.length > 2) ? Integer.parseInt(arguments[2]) : 5;
		new LockBenchmark(host, port, Duration.ofSeconds(seconds)).run();
		System.exit(0);
	}

	private void run() throws Exception {
		RedisClient lettuce = RedisClient.create("redis://" + this.host + ":" + this.port);
		LettuceConnectionFactory first = connectionFactory();
		LettuceConnectionFactory second = connectionFactory();
		RedisDistributedLock ours = new RedisDistributedLock(first, this.prefix);
		RedisDistributedLock oursElsewhere = new RedisDistributedLock(second, this.prefix);
		RedissonClient redisson = redisson();
		RedissonClient redissonElsewhere = redisson();
		try (StatefulRedisConnection<String, String> connection = lettuce.connect()) {
			RedisCommands<String, String> commands = connection.sync();
			commands.set(this.prefix + "get", "value");
			System.out.printf(Locale.ROOT, "Redis %s:%d, %d s per measurement, 3 rounds, best round reported%n",
					this.host, this.port, this.measurement.toSeconds());

			Measurement none = new Measurement(0, Double.MAX_VALUE);
			Measurement get = none;
			Measurement oursTry = none;
			Measurement oursAcquire = none;
			Measurement redissonLease = none;
			Measurement redissonWatchdog = none;
			for (int round = 0; round < 3; round++) {
				get = get.best(throughput(() -> commands.get(this.prefix + "get")));
				oursTry = oursTry.best(throughput(() -> ours.tryAcquire("uncontended", EXPIRES).get().release()));
				oursAcquire = oursAcquire
					.best(throughput(() -> ours.acquire("uncontended", EXPIRES, Duration.ofSeconds(10)).release()));
				RLock rlock = redisson.getLock(this.prefix + "redisson-uncontended");
				redissonLease = redissonLease.best(throughput(() -> {
					rlock.lock(EXPIRES.toMillis(), TimeUnit.MILLISECONDS);
					rlock.unlock();
				}));
				redissonWatchdog = redissonWatchdog.best(throughput(() -> {
					rlock.lock();
					rlock.unlock();
				}));
			}
			System.out.println();
			System.out.println("Uncontended, 1 thread: ops/s, ratios to GET and to Redisson lock(lease)+unlock, "
					+ "client CPU per operation (all threads)");
			row("Lettuce GET (baseline)", get, get, redissonLease);
			row("Celeriac tryAcquire+release", oursTry, get, redissonLease);
			row("Celeriac acquire(timeout)+release", oursAcquire, get, redissonLease);
			row("Redisson lock(lease)+unlock", redissonLease, get, redissonLease);
			row("Redisson lock()+unlock (watchdog)", redissonWatchdog, get, redissonLease);

			System.out.println();
			System.out.println("Contended, " + THREADS + " threads, one key; handoff = release start -> next holder");
			contended("Celeriac, 1 client", List.of(ours), null);
			contended("Redisson, 1 client", null, List.of(redisson));
			contended("Celeriac, 2 clients", List.of(ours, oursElsewhere), null);
			contended("Redisson, 2 clients", null, List.of(redisson, redissonElsewhere));
			commands.del(this.prefix + "get");
		}
		finally {
			ours.close();
			oursElsewhere.close();
			first.destroy();
			second.destroy();
			redisson.shutdown();
			redissonElsewhere.shutdown();
			lettuce.shutdown();
		}
	}

	private void contended(String label, List<DistributedLock> ours, List<RedissonClient> redissons)
			throws InterruptedException {
		String key = this.prefix + "contended-" + UUID.randomUUID();
		AtomicLong releasedAt = new AtomicLong();
		long[][] handoffs = new long[THREADS][];
		int[] counts = new int[THREADS];
		List<Thread> threads = new ArrayList<>();
		long deadline = System.nanoTime() + this.measurement.toNanos();
		for (int i = 0; i < THREADS; i++) {
			int thread = i;
			handoffs[thread] = new long[1_000_000];
			Runnable loop;
			if (ours != null) {
				DistributedLock lock = ours.get(thread % ours.size());
				loop = () -> {
					while (System.nanoTime() < deadline) {
						HeldLock held = lock.acquire(key, EXPIRES, Duration.ofSeconds(30));
						record(handoffs, counts, thread, releasedAt);
						releasedAt.set(System.nanoTime());
						held.release();
					}
				};
			}
			else {
				RLock lock = redissons.get(thread % redissons.size()).getLock(key);
				loop = () -> {
					while (System.nanoTime() < deadline) {
						lock.lock(EXPIRES.toMillis(), TimeUnit.MILLISECONDS);
						record(handoffs, counts, thread, releasedAt);
						releasedAt.set(System.nanoTime());
						lock.unlock();
					}
				};
			}
			threads.add(new Thread(loop, "bench-" + thread));
		}
		long started = System.nanoTime();
		threads.forEach(Thread::start);
		for (Thread thread : threads) {
			thread.join();
		}
		double seconds = (System.nanoTime() - started) / 1e9;
		long[] all = new long[Arrays.stream(counts).sum()];
		int offset = 0;
		for (int i = 0; i < THREADS; i++) {
			System.arraycopy(handoffs[i], 0, all, offset, counts[i]);
			offset += counts[i];
		}
		Arrays.sort(all);
		System.out.printf(Locale.ROOT,
				"  %-22s %8.0f acquisitions/s   handoff p50 %6.2f ms  p90 %6.2f ms  p99 %6.2f ms%n", label,
				all.length / seconds, percentile(all, 0.50), percentile(all, 0.90), percentile(all, 0.99));
	}

	private static void record(long[][] handoffs, int[] counts, int thread, AtomicLong releasedAt) {
		long previous = releasedAt.get();
		if (previous != 0 && counts[thread] < handoffs[thread].length) {
			handoffs[thread][counts[thread]++] = System.nanoTime() - previous;
		}
	}

	private static double percentile(long[] sorted, double fraction) {
		if (sorted.length == 0) {
			return Double.NaN;
		}
		return sorted[(int) Math.min(sorted.length - 1, Math.floor(sorted.length * fraction))] / 1e6;
	}

	private Measurement throughput(Runnable operation) {
		long warmUpEnd = System.nanoTime() + Duration.ofSeconds(1).toNanos();
		while (System.nanoTime() < warmUpEnd) {
			operation.run();
		}
		long operations = 0;
		long cpuStarted = processCpuNanos();
		long started = System.nanoTime();
		long end = started + this.measurement.toNanos();
		while (System.nanoTime() < end) {
			operation.run();
			operations++;
		}
		double perSecond = operations / ((System.nanoTime() - started) / 1e9);
		return new Measurement(perSecond, (processCpuNanos() - cpuStarted) / 1e3 / operations);
	}

	private static long processCpuNanos() {
		return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
			.getProcessCpuTime();
	}

	/**
	 * One measurement: operations per second and the client's CPU time per operation
	 * (every thread of this process: caller, Netty, listener), which a busy machine
	 * disturbs less than throughput.
	 *
	 * @param perSecond operations per second
	 * @param cpuMicros microseconds of process CPU per operation
	 */
	private record Measurement(double perSecond, double cpuMicros) {

		Measurement best(Measurement other) {
			return new Measurement(Math.max(this.perSecond, other.perSecond),
					Math.min(this.cpuMicros, other.cpuMicros));
		}

	}

	private static void row(String label, Measurement value, Measurement baseline, Measurement redisson) {
		System.out.printf(Locale.ROOT, "  %-36s %9.0f   %5.2fx GET   %5.2fx Redisson   %6.1f us CPU%n", label,
				value.perSecond(), value.perSecond() / baseline.perSecond(), value.perSecond() / redisson.perSecond(),
				value.cpuMicros());
	}

	private LettuceConnectionFactory connectionFactory() {
		LettuceConnectionFactory factory = new LettuceConnectionFactory(
				new RedisStandaloneConfiguration(this.host, this.port));
		factory.afterPropertiesSet();
		factory.start();
		return factory;
	}

	private RedissonClient redisson() {
		Config config = new Config();
		config.useSingleServer().setAddress("redis://" + this.host + ":" + this.port);
		return Redisson.create(config);
	}

}
