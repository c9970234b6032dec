package io.celeriac.benchmarks.processing;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import io.celeriac.benchmarks.JmhRounds;
import io.celeriac.broker.memory.InMemoryBroker;
import io.celeriac.processing.CachedOperations;
import io.celeriac.processing.Operation;
import io.celeriac.processing.OperationBeanPostProcessor;
import io.celeriac.processing.OperationContext;
import io.celeriac.processing.OperationKey;
import io.celeriac.processing.OperationOutcome;
import io.celeriac.processing.OperationRegistry;
import io.celeriac.processing.ProcessingSettings;
import io.celeriac.processing.redis.RedisOperationStore;
import io.celeriac.protocol.CeleryProtocol;
import io.celeriac.task.BrokerTaskClient;
import io.celeriac.topology.FirstSegmentTaskRouter;
import io.celeriac.topology.QueueType;
import io.celeriac.topology.Topology;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.runner.RunnerException;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * A hit of {@link CachedOperations#getOrDelegate} on Redis (callback arguments written as
 * JSON, the get-or-append Lua script, the result read back as a tree) against a raw
 * Lettuce {@code GET} of the same JSON result, at 1 and 16 threads in one run. Redis
 * comes from {@code REDIS_HOST} and {@code REDIS_PORT} (default 127.0.0.1:6379); every
 * key it writes is under a random prefix and removed afterwards.
 *
 * @author Celeriac team
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class ProcessingBenchmarks {

	private static final String URI = "https://example.com/documents/report.txt";

	private static final String RESULT = "{\"uri\":\"" + URI
			+ "\",\"lines\":120,\"words\":1834,\"characters\":10211,\"topWords\":[\"celery\",\"tasks\",\"queue\"]}";

	private final String prefix = "celeriac-bench:" + UUID.randomUUID().toString().substring(0, 8) + ":";

	private LettuceConnectionFactory connectionFactory;

	private RedisClient client;

	private StatefulRedisConnection<String, String> connection;

	private RedisCommands<String, String> commands;

	private String rawKey;

	private CachedOperations operations;

	private final Map<String, String> callbackArgs = Map.of("requester", "bench");

	@Setup
	public void setUp() {
		String host = System.getenv().getOrDefault("REDIS_HOST", "127.0.0.1");
		int port = Integer.parseInt(System.getenv().getOrDefault("REDIS_PORT", "6379"));
		this.connectionFactory = new LettuceConnectionFactory(new RedisStandaloneConfiguration(host, port));
		this.connectionFactory.afterPropertiesSet();
		this.connectionFactory.start();
		RedisOperationStore store = new RedisOperationStore(this.connectionFactory, this.prefix);
		OperationRegistry registry = new OperationRegistry();
		new OperationBeanPostProcessor(registry).postProcessAfterInitialization(new Statistics(), "statistics");
		CeleryProtocol protocol = new CeleryProtocol(new JsonMapper());
		// a hit sends nothing; the broker is there because a miss would need one
		BrokerTaskClient taskClient = new BrokerTaskClient(new InMemoryBroker(),
				new Topology("task_exchange", "bench-", null, Set.of("processing"), QueueType.CLASSIC, ".error"),
				new FirstSegmentTaskRouter(), protocol, null);
		this.operations = new CachedOperations(store, registry, taskClient, protocol.mapper(),
				new ProcessingSettings("processing", "processing-quarantine", Duration.ofMinutes(10),
						Duration.ofHours(1), Map.of(), Duration.ofHours(1)));
		OperationKey key = new OperationKey("statistics", URI);
		store.getOrAppend(key, List.of("null"), "warm", Duration.ofMinutes(10));
		store.complete(key, RESULT, Duration.ofHours(1));
		store.delivered(key);
		this.client = RedisClient.create("redis://" + host + ":" + port);
		this.connection = this.client.connect();
		this.commands = this.connection.sync();
		this.rawKey = this.prefix + "raw";
		this.commands.set(this.rawKey, RESULT);
		if (!getOrDelegateHit().isHit()) {
			throw new IllegalStateException("The benchmark's getOrDelegate is not a hit");
		}
	}

	@TearDown
	public void tearDown() {
		ScanCursor cursor = ScanCursor.INITIAL;
		do {
			KeyScanCursor<String> page = this.commands.scan(cursor,
					ScanArgs.Builder.matches(this.prefix + "*").limit(1000));
			if (!page.getKeys().isEmpty()) {
				this.commands.unlink(page.getKeys().toArray(String[]::new));
			}
			cursor = page;
		}
		while (!cursor.isFinished());
		this.connection.close();
		this.client.shutdown();
		this.connectionFactory.destroy();
	}

	@Benchmark
	public OperationOutcome getOrDelegateHit() {
		return this.operations.getOrDelegate("statistics", URI, this.callbackArgs);
	}

	@Benchmark
	public String lettuceGet() {
		return this.commands.get(this.rawKey);
	}

	/**
	 * Runs the benchmarks at 1 and at 16 threads, in two rounds (or {@code -Drounds=N}),
	 * and prints each benchmark's median throughput and its median ratio to the raw
	 * {@code GET} of the same round and thread count.
	 * @param args ignored
	 * @throws RunnerException if JMH fails
	 */
	public static void main(String[] args) throws RunnerException {
		JmhRounds.run(ProcessingBenchmarks.class.getName() + "\\.", "lettuceGet", Integer.getInteger("rounds", 2));
	}

	/**
	 * The operation whose stored result the benchmark reads; it never runs.
	 */
	public static class Statistics {

		@Operation("statistics")
		public String statistics(String uri, OperationContext context) {
			throw new IllegalStateException("A hit never runs the operation");
		}

	}

}
