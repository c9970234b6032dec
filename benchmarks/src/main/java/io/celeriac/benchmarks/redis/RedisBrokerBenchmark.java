package io.celeriac.benchmarks.redis;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import io.celeriac.broker.ConsumerSettings;
import io.celeriac.broker.Subscription;
import io.celeriac.broker.redis.RedisBroker;
import io.celeriac.protocol.WireMessage;
import io.celeriac.topology.QueueType;
import io.celeriac.topology.Topology;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.LMoveArgs;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import org.jspecify.annotations.Nullable;

import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * Publishes N no-op Celery-shaped messages through the {@link RedisBroker} (topic
 * exchange, one queue) and times draining them with consumers that acknowledge each one;
 * in the same run, the raw Lettuce ceiling of a reliable queue with a payload of the same
 * size: {@code LPUSH} to publish, {@code BLMOVE} into a processing list and {@code LREM}
 * to acknowledge. Both publish from one thread, one command (or script) at a time, and
 * drain with the same number of consumers. Reports messages/s and the ratio.
 * <p>
 * Arguments (all optional): {@code --host 127.0.0.1}, {@code --port 6379},
 * {@code --messages 50000}, {@code --warmup 5000}, {@code --consumers 2},
 * {@code --rounds 1} (raw and Celeriac alternate). Besides throughput it reports this
 * process's CPU time per message, which a busy machine disturbs less. Keys live under a
 * unique prefix and are deleted afterwards.
 *
 * @author Celeriac team
 */
public final class RedisBrokerBenchmark {

	private final String host;

	private final int port;

	private final int consumers;

	private RedisBrokerBenchmark(String host, int port, int consumers) {
		this.host = host;
		this.port = port;
		this.consumers = consumers;
	}

	public static void main(String[] args) throws Exception {
		Map<String, String> options = options(args);
		String host = options.getOrDefault("host", "127.0.0.1");
		int port = Integer.parseInt(options.getOrDefault("port", "6379"));
		int messages = Integer.parseInt(options.getOrDefault("messages", "50000"));
		int warmup = Integer.parseInt(options.getOrDefault("warmup", "5000"));
		int consumers = Integer.parseInt(options.getOrDefault("consumers", "2"));
		int rounds = Integer.parseInt(options.getOrDefault("rounds", "1"));
		RedisBrokerBenchmark benchmark = new RedisBrokerBenchmark(host, port, consumers);
		WireMessage message = celeryShaped();
		System.out.printf(Locale.ROOT,
				"Redis broker: %d no-op Celery-shaped messages (%d body bytes, %d headers), "
						+ "%d warm-up first; %d consumers%n",
				messages, message.body().length, message.headers().size(), warmup, consumers);
		benchmark.raw(warmup, message);
		benchmark.broker(warmup, message);
		// alternating, so that a change in the machine's load falls on both alike
		for (int round = 1; round <= rounds; round++) {
			Throughput raw = benchmark.raw(messages, message);
			Throughput ours = benchmark.broker(messages, message);
			System.out.printf(Locale.ROOT, "round %d (load average %.1f)%n", round,
					ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
			print("raw Lettuce LPUSH + BLMOVE + LREM", raw);
			print("Celeriac RedisBroker publish + consume", ours);
			System.out.printf(Locale.ROOT,
					"ratio to raw: publish %.2f, drain %.2f; client CPU per message vs raw: publish %.2f, drain %.2f%n",
					ours.publishRate() / raw.publishRate(), ours.drainRate() / raw.drainRate(),
					(double) ours.publishCpuNanos() / raw.publishCpuNanos(),
					(double) ours.drainCpuNanos() / raw.drainCpuNanos());
		}
	}

	private Throughput broker(int messages, WireMessage message) throws Exception {
		String prefix = "celeriac-bench-" + UUID.randomUUID().toString().substring(0, 8) + ":";
		LettuceConnectionFactory factory = new LettuceConnectionFactory(
				new RedisStandaloneConfiguration(this.host, this.port));
		factory.afterPropertiesSet();
		factory.start();
		try {
			RedisBroker broker = new RedisBroker(factory, prefix);
			Topology topology = new Topology("bench", "bench-", null, Set.of("bench"), QueueType.CLASSIC, ".error");
			broker.declare(topology);
			long start = System.nanoTime();
			long cpu = cpuNanos();
			for (int i = 0; i < messages; i++) {
				broker.publish(topology.exchange(), "bench", message).join();
			}
			long publishNanos = System.nanoTime() - start;
			long publishCpu = cpuNanos() - cpu;
			AtomicInteger drained = new AtomicInteger();
			start = System.nanoTime();
			cpu = cpuNanos();
			try (Subscription subscription = broker.consume(topology.queueName("bench"),
					new ConsumerSettings(this.consumers, 1), (delivery) -> {
						delivery.ack();
						drained.incrementAndGet();
					})) {
				awaitCount(drained, messages);
			}
			return new Throughput(messages, publishNanos, System.nanoTime() - start, publishCpu, cpuNanos() - cpu);
		}
		finally {
			deleteKeys(prefix);
			factory.destroy();
		}
	}

	private Throughput raw(int messages, WireMessage message) throws Exception {
		String prefix = "celeriac-bench-raw-" + UUID.randomUUID().toString().substring(0, 8) + ":";
		byte[] queue = (prefix + "{bench}:ready").getBytes(StandardCharsets.UTF_8);
		byte[] payload = kombuLikePayload(message);
		RedisClient client = RedisClient.create("redis://" + this.host + ":" + this.port);
		try (StatefulRedisConnection<byte[], byte[]> connection = client.connect(ByteArrayCodec.INSTANCE)) {
			RedisCommands<byte[], byte[]> commands = connection.sync();
			long start = System.nanoTime();
			long cpu = cpuNanos();
			for (int i = 0; i < messages; i++) {
				// a unique payload per message, as LREM needs to acknowledge exactly one
				commands.lpush(queue, unique(payload, i));
			}
			long publishNanos = System.nanoTime() - start;
			long publishCpu = cpuNanos() - cpu;
			AtomicInteger drained = new AtomicInteger();
			AtomicBoolean running = new AtomicBoolean(true);
			List<Thread> threads = new ArrayList<>();
			start = System.nanoTime();
			cpu = cpuNanos();
			for (int c = 0; c < this.consumers; c++) {
				byte[] processing = (prefix + "{bench}:processing:" + c).getBytes(StandardCharsets.UTF_8);
				Thread thread = new Thread(() -> {
					try (StatefulRedisConnection<byte[], byte[]> own = client.connect(ByteArrayCodec.INSTANCE)) {
						RedisCommands<byte[], byte[]> consumer = own.sync();
						while (running.get()) {
							byte[] item = consumer.blmove(queue, processing, LMoveArgs.Builder.rightLeft(), 1);
							if (item != null) {
								consumer.lrem(processing, 1, item);
								drained.incrementAndGet();
							}
						}
					}
				});
				threads.add(thread);
				thread.start();
			}
			awaitCount(drained, messages);
			long drainNanos = System.nanoTime() - start;
			long drainCpu = cpuNanos() - cpu;
			running.set(false);
			for (Thread thread : threads) {
				thread.join();
			}
			return new Throughput(messages, publishNanos, drainNanos, publishCpu, drainCpu);
		}
		finally {
			deleteKeys(prefix);
			client.shutdown();
		}
	}

	private static long cpuNanos() {
		return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
			.getProcessCpuTime();
	}

	private static void awaitCount(AtomicInteger count, int expected) throws InterruptedException {
		long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
		while (count.get() < expected) {
			if (System.nanoTime() > deadline) {
				throw new IllegalStateException("Only " + count.get() + " of " + expected + " drained in 2 minutes");
			}
			TimeUnit.MILLISECONDS.sleep(1);
		}
	}

	private void deleteKeys(String prefix) {
		RedisClient client = RedisClient.create("redis://" + this.host + ":" + this.port);
		try (StatefulRedisConnection<String, String> connection = client.connect()) {
			RedisCommands<String, String> commands = connection.sync();
			ScanCursor cursor = ScanCursor.INITIAL;
			do {
				KeyScanCursor<String> page = commands.scan(cursor, ScanArgs.Builder.matches(prefix + "*").limit(1000));
				if (!page.getKeys().isEmpty()) {
					commands.unlink(page.getKeys().toArray(String[]::new));
				}
				cursor = page;
			}
			while (!cursor.isFinished());
		}
		finally {
			client.shutdown();
		}
	}

	private static WireMessage celeryShaped() {
		String id = UUID.randomUUID().toString();
		Map<String, @Nullable Object> headers = new LinkedHashMap<>();
		headers.put("lang", "py");
		headers.put("task", "bench.noop");
		headers.put("id", id);
		headers.put("shadow", null);
		headers.put("eta", null);
		headers.put("expires", null);
		headers.put("group", null);
		headers.put("group_index", null);
		headers.put("retries", 0);
		headers.put("timelimit", java.util.Arrays.asList(null, null));
		headers.put("root_id", id);
		headers.put("parent_id", null);
		headers.put("argsrepr", "()");
		headers.put("kwargsrepr", "{}");
		headers.put("origin", "bench@localhost");
		headers.put("ignore_result", false);
		byte[] body = "[[], {}, {\"callbacks\": null, \"errbacks\": null, \"chain\": null, \"chord\": null}]"
			.getBytes(StandardCharsets.UTF_8);
		return new WireMessage(body, "application/json", "utf-8", headers, id, UUID.randomUUID().toString(), 0, true,
				null);
	}

	private static byte[] kombuLikePayload(WireMessage message) {
		StringBuilder json = new StringBuilder("{\"body\": \"")
			.append(java.util.Base64.getEncoder().encodeToString(message.body()))
			.append("\", \"content-encoding\": \"utf-8\", \"content-type\": \"application/json\", \"headers\": {");
		message.headers()
			.forEach((name, value) -> json.append('"').append(name).append("\": \"").append(value).append("\", "));
		json.append("}, \"properties\": {\"correlation_id\": \"")
			.append(message.correlationId())
			.append("\", \"reply_to\": \"")
			.append(message.replyTo())
			.append("\", \"delivery_mode\": 2, \"priority\": 0, \"delivery_tag\": \"")
			.append(UUID.randomUUID())
			.append("\"}}");
		return json.toString().getBytes(StandardCharsets.UTF_8);
	}

	private static byte[] unique(byte[] payload, int number) {
		byte[] suffix = Integer.toString(number).getBytes(StandardCharsets.UTF_8);
		byte[] result = new byte[payload.length + suffix.length];
		System.arraycopy(payload, 0, result, 0, payload.length);
		System.arraycopy(suffix, 0, result, payload.length, suffix.length);
		return result;
	}

	private static void print(String what, Throughput throughput) {
		System.out.printf(Locale.ROOT,
				"%-40s publish %,8.0f msg/s (%.2f s, %.0f µs CPU/msg), drain %,8.0f msg/s (%.2f s, %.0f µs CPU/msg)%n",
				what, throughput.publishRate(), throughput.publishNanos() / 1e9,
				throughput.publishCpuNanos() / 1e3 / throughput.messages(), throughput.drainRate(),
				throughput.drainNanos() / 1e9, throughput.drainCpuNanos() / 1e3 / throughput.messages());
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
	 * Messages and the time to publish and to drain them.
	 *
	 * @param messages how many
	 * @param publishNanos nanoseconds to publish them all
	 * @param drainNanos nanoseconds to drain them all
	 * @param publishCpuNanos this process's CPU time while publishing
	 * @param drainCpuNanos this process's CPU time while draining
	 */
	record Throughput(int messages, long publishNanos, long drainNanos, long publishCpuNanos, long drainCpuNanos) {

		double publishRate() {
			return this.messages / (this.publishNanos / 1e9);
		}

		double drainRate() {
			return this.messages / (this.drainNanos / 1e9);
		}

	}

}
