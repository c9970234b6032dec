package io.celeriac.test.delay;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import io.celeriac.delay.redis.RedisDelayedTaskStore;
import io.celeriac.test.broker.RabbitTestBroker;
import io.celeriac.test.broker.RedisTestBroker;
import io.celeriac.test.process.ChildProcess;
import io.celeriac.test.process.JavaProcess;
import io.celeriac.test.services.RabbitEndpoint;
import io.celeriac.test.services.RealServices;
import io.celeriac.test.services.RedisEndpoint;
import io.celeriac.test.services.ServiceIsolation;
import io.celeriac.topology.Topology;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Delayed tasks survive the restart of every Celeriac process, on RabbitMQ with the Redis
 * delayed task store: a producer JVM sends them and stops; two worker JVMs park them in
 * Redis and run the first ones when due; one worker stops, the other is killed with
 * SIGKILL; the later tasks come due while no Celeriac process runs; a new worker JVM then
 * runs each of them once, none before its eta.
 *
 * @author Celeriac team
 */
@RealServices
class DelayedTasksSurviveRestartsTests {

	private static final Duration START = Duration.ofSeconds(90);

	private static final int EARLY = 10;

	private static final int LATE = 20;

	private final RabbitTestBroker rabbit;

	private final RabbitEndpoint rabbitEndpoint;

	private final RedisEndpoint redisEndpoint;

	private final LettuceConnectionFactory redis;

	private final String keyPrefix;

	private final RedisDelayedTaskStore store;

	private final List<ChildProcess> children = new ArrayList<>();

	DelayedTasksSurviveRestartsTests(RabbitEndpoint rabbit, RedisEndpoint redis, ServiceIsolation isolation) {
		this.rabbit = new RabbitTestBroker(rabbit, isolation);
		this.rabbitEndpoint = rabbit;
		this.redisEndpoint = redis;
		this.redis = RedisTestBroker.connectionFactory(redis);
		this.keyPrefix = isolation.redisKeyPrefix() + UUID.randomUUID() + ":";
		this.store = new RedisDelayedTaskStore(this.redis, this.keyPrefix, JsonMapper.builder().build());
	}

	@AfterEach
	void stopEverything() {
		this.children.forEach(ChildProcess::close);
		this.children.forEach((child) -> child.output()
			.stream()
			.filter((line) -> !line.contains("INFO"))
			.forEach((line) -> System.out.println("DEBUG " + child.pid() + " " + line)));
		this.rabbit.close();
		this.redis.destroy();
	}

	@Test
	void everyDelayedTaskRunsOnceAtOrAfterItsEtaAcrossRestartsOfEveryProcess() {
		Topology topology = this.rabbit.newTopology("restart");
		this.rabbit.broker().declare(topology);
		long now = System.currentTimeMillis();
		List<String> etas = new ArrayList<>();
		for (int i = 0; i < EARLY; i++) {
			etas.add(Long.toString(now + 15_000 + i * 100));
		}
		// late enough that the processes are stopped before it, even on a loaded machine
		// where starting three JVMs and stopping one gracefully takes half a minute
		long firstLate = now + 60_000;
		for (int i = 0; i < LATE; i++) {
			etas.add(Long.toString(firstLate + i * 100));
		}
		long lastLate = firstLate + (LATE - 1) * 100;

		ChildProcess producer = start(topology, "producer", etas);
		producer.awaitLine("SENT " + etas.size(), START);
		producer.stop(Duration.ofSeconds(10));
		assertThat(this.rabbit.broker().messageCount(topology.queueName("restart"))).as("waiting in RabbitMQ")
			.isEqualTo(EARLY + LATE);

		ChildProcess killed = start(topology, "worker", List.of());
		ChildProcess stopped = start(topology, "worker", List.of());
		killed.awaitLine("READY", START);
		stopped.awaitLine("READY", START);
		await().atMost(START).until(() -> runs().size() == EARLY && this.store.size() == LATE);
		assertThat(System.currentTimeMillis())
			.as("the early tasks ran and the late ones wait in Redis before " + "they are due")
			.isLessThan(firstLate);

		stopped.stop(Duration.ofSeconds(20));
		killed.kill();
		// the late tasks come due while no Celeriac process runs
		await().atMost(START).until(() -> System.currentTimeMillis() > lastLate + 500);
		assertThat(this.store.size()).isEqualTo(LATE);

		start(topology, "worker", List.of()).awaitLine("READY", START);
		await().atMost(START).until(() -> runs().size() == EARLY + LATE);
		await().atMost(START).until(() -> this.store.size() == 0);
		Map<Integer, List<long[]>> runs = runs();
		for (int index = 0; index < EARLY + LATE; index++) {
			assertThat(runs.get(index)).as("runs of task %d", index).hasSize(1);
			long[] run = runs.get(index).get(0);
			assertThat(run[0]).as("eta of task %d", index).isEqualTo(Long.parseLong(etas.get(index)));
			assertThat(run[1]).as("when task %d ran", index).isGreaterThanOrEqualTo(run[0]);
		}
	}

	/**
	 * Every task run printed by any worker so far, by index: eta and when it ran.
	 */
	private Map<Integer, List<long[]>> runs() {
		Map<Integer, List<long[]>> runs = new TreeMap<>();
		for (ChildProcess child : this.children) {
			for (String line : child.output()) {
				if (line.startsWith("ran ")) {
					String[] parts = line.split(" ");
					runs.computeIfAbsent(Integer.parseInt(parts[1]), (index) -> new ArrayList<>())
						.add(new long[] { Long.parseLong(parts[2]), Long.parseLong(parts[3]) });
				}
			}
		}
		return runs;
	}

	private ChildProcess start(Topology topology, String role, List<String> etas) {
		List<String> arguments = new ArrayList<>();
		arguments.add(role);
		arguments.addAll(etas);
		ChildProcess child = JavaProcess.of(DelayedRestartMain.class)
			.jvmOption("-Xmx256m")
			.systemProperty("rabbit.host", this.rabbitEndpoint.host())
			.systemProperty("rabbit.port", Integer.toString(this.rabbitEndpoint.port()))
			.systemProperty("rabbit.username", this.rabbitEndpoint.username())
			.systemProperty("rabbit.password", this.rabbitEndpoint.password())
			.systemProperty("rabbit.virtual-host", this.rabbitEndpoint.virtualHost())
			.systemProperty("redis.host", this.redisEndpoint.host())
			.systemProperty("redis.port", Integer.toString(this.redisEndpoint.port()))
			.systemProperty("redis.key-prefix", this.keyPrefix)
			.systemProperty("exchange", topology.exchange())
			.systemProperty("queue-prefix", topology.queueNamePrefix())
			.arguments(arguments.toArray(String[]::new))
			.start();
		this.children.add(child);
		return child;
	}

}
