package io.celeriac.shutdown;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import io.celeriac.broker.rabbit.RabbitBroker;
import io.celeriac.protocol.CeleryProtocol;
import io.celeriac.registry.redis.RedisWorkerRegistry;
import io.celeriac.task.BrokerTaskClient;
import io.celeriac.task.TaskOptions;
import io.celeriac.test.process.ChildProcess;
import io.celeriac.test.process.JavaProcess;
import io.celeriac.test.services.RabbitEndpoint;
import io.celeriac.test.services.RealServices;
import io.celeriac.test.services.RedisEndpoint;
import io.celeriac.test.services.ServiceIsolation;
import io.celeriac.topology.FirstSegmentTaskRouter;
import io.celeriac.topology.QueueType;
import io.celeriac.topology.Topology;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Worker processes ({@link ShutdownWorkerApplication}) on the real RabbitMQ and Redis,
 * stopped with SIGTERM or killed with SIGKILL: the tasks that finish within
 * {@code celeriac.worker.shutdown-timeout} are acknowledged, the rest run on another
 * worker, none is lost and none completes twice; a killed worker leaves the worker
 * registry within its heartbeat window.
 *
 * @author Celeriac team
 */
@RealServices
class GracefulShutdownTests {

	private static final Duration START = Duration.ofSeconds(90);

	private static final Duration WAIT = Duration.ofSeconds(60);

	private final RabbitEndpoint rabbit;

	private final RedisEndpoint redisEndpoint;

	private final ServiceIsolation isolation;

	private final String prefix;

	private final String exchange;

	private final String records;

	private LettuceConnectionFactory redisConnections;

	private StringRedisTemplate redis;

	GracefulShutdownTests(RabbitEndpoint rabbit, RedisEndpoint redis, ServiceIsolation isolation) {
		this.rabbit = rabbit;
		this.redisEndpoint = redis;
		this.isolation = isolation;
		this.prefix = isolation.queueNamePrefix();
		this.exchange = isolation.exchange("shutdown");
		this.records = isolation.redisKeyPrefix() + "records:";
		for (String queue : List.of("platform.fifo", "celery", "shutdown")) {
			isolation.removeAfterwards(this.prefix + queue);
			isolation.removeAfterwards(this.prefix + queue + ".error");
		}
	}

	@BeforeEach
	void connect() {
		this.redisConnections = new LettuceConnectionFactory(this.redisEndpoint.host(), this.redisEndpoint.port());
		this.redisConnections.afterPropertiesSet();
		this.redisConnections.start();
		this.redis = new StringRedisTemplate(this.redisConnections);
		this.redis.delete(List.of(this.records + "started", this.records + "completed", this.records + "go",
				this.records + "release-long"));
	}

	@AfterEach
	void disconnect() {
		this.redisConnections.destroy();
	}

	@Test
	void sigtermLetsRunningTasksFinishWithinTheTimeoutAndHandsTheRestToAnotherWorker() throws Exception {
		List<String> shortTasks = labels("short", 10);
		List<String> longTasks = labels("long", 10);
		List<String> queuedTasks = labels("queued", 5);
		RedisWorkerRegistry registry = new RedisWorkerRegistry(this.redisConnections, this.isolation.redisKeyPrefix());
		try (ChildProcess first = worker("first@test").start()) {
			first.awaitLine("Started ShutdownWorkerApplication", START);
			awaitConsumers(20);
			send(shortTasks, "short");
			send(longTasks, "long");
			send(queuedTasks, "short");
			// 20 tasks in flight, one per consumer; the 5 others wait in the queue
			await().atMost(WAIT).until(() -> started(first.pid()).size() == 20);
			await().atMost(WAIT)
				.until(() -> registry.find("first@test").map((worker) -> worker.workingOn().size()).orElse(0) == 20);
			ProcessHandle.of(first.pid()).orElseThrow().destroy();
			first.awaitLine("stops taking messages", WAIT);
			// the short tasks may finish now, within the 2 s timeout; the long ones
			// cannot
			this.redis.opsForValue().set(this.records + "go", "1");
			first.awaitExit(WAIT);
			// the 10 long tasks, and the queued ones the first worker had prefetched
			assertThat(first.output())
				.anyMatch((line) -> line.matches(".*\\b(1[0-5]) task\\(s\\) from queue '" + this.prefix
						+ "shutdown' still in hand when the shutdown timeout ended; interrupted and handed back.*"));
			assertThat(started(first.pid())).containsExactlyInAnyOrderElementsOf(concat(shortTasks, longTasks));
			assertThat(completed(first.pid())).containsExactlyInAnyOrderElementsOf(shortTasks);
			assertThat(registry.find("first@test")).as("unregistered when it stopped").isEmpty();
			assertThat(messageCount(this.prefix + "shutdown.error")).isZero();
		}
		this.redis.opsForValue().set(this.records + "release-long", "1");
		try (ChildProcess second = worker("second@test").start()) {
			await().atMost(START).until(() -> completed().size() >= 25);
			assertThat(completed(second.pid())).containsExactlyInAnyOrderElementsOf(concat(longTasks, queuedTasks));
			// the 10 long tasks were interrupted and handed back; the 5 queued ones too
			// when the first worker had prefetched them before it stopped (it hands them
			// back unrun)
			assertThat(second.output()).filteredOn((line) -> line.contains("was delivered before"))
				.hasSizeBetween(10, 15);
		}
		// every task completed exactly once, and nothing is left anywhere
		assertThat(completed()).hasSize(25)
			.extracting((record) -> record.split(" ")[0])
			.containsExactlyInAnyOrderElementsOf(concat(shortTasks, longTasks, queuedTasks));
		assertThat(messageCount(this.prefix + "shutdown")).isZero();
		assertThat(messageCount(this.prefix + "shutdown.error")).isZero();
	}

	@Test
	void aSecondSigtermStopsAtOnceAndLosesNothing() {
		List<String> longTasks = labels("long", 5);
		// a shutdown timeout far longer than the test waits: only the second signal
		// can end the process in time
		try (ChildProcess first = worker("patient@test", "10m").start()) {
			first.awaitLine("Started ShutdownWorkerApplication", START);
			awaitConsumers(20);
			send(longTasks, "long");
			await().atMost(WAIT).until(() -> started(first.pid()).size() == 5);
			ProcessHandle process = ProcessHandle.of(first.pid()).orElseThrow();
			process.destroy();
			first.awaitLine("stops taking messages", WAIT);
			process.destroy();
			assertThat(first.awaitExit(WAIT)).isEqualTo(128 + 15);
			assertThat(first.output()).anyMatch((line) -> line.contains("Second SIGTERM: stopping at once"));
			assertThat(completed(first.pid())).isEmpty();
		}
		this.redis.opsForValue().set(this.records + "release-long", "1");
		try (ChildProcess second = worker("second@test").start()) {
			await().atMost(START).until(() -> completed().size() >= 5);
			assertThat(completed(second.pid())).containsExactlyInAnyOrderElementsOf(longTasks);
		}
		assertThat(completed()).hasSize(5);
	}

	@Test
	void aKilledWorkerLeavesTheRegistryWithinItsHeartbeatWindow() {
		RedisWorkerRegistry registry = new RedisWorkerRegistry(this.redisConnections, this.isolation.redisKeyPrefix());
		try (ChildProcess worker = worker("killed@test").start()) {
			worker.awaitLine("Started ShutdownWorkerApplication", START);
			await().atMost(WAIT).until(() -> registry.find("killed@test").isPresent());
			assertThat(registry.find("killed@test").orElseThrow().pid()).isEqualTo(worker.pid());
			worker.kill();
			Instant killed = Instant.now();
			// heartbeat every 500 ms, pruned after 3 missed: a window of 1.5 s
			Duration window = Duration.ofMillis(1500);
			await().atMost(window.plusSeconds(5))
				.pollInterval(Duration.ofMillis(50))
				.until(() -> registry.find("killed@test").isEmpty());
			System.out.println("The killed worker left the registry "
					+ Duration.between(killed, Instant.now()).toMillis() + " ms after SIGKILL");
		}
	}

	private JavaProcess worker(String name) {
		return worker(name, "2s");
	}

	private JavaProcess worker(String name, String shutdownTimeout) {
		return JavaProcess.of(ShutdownWorkerApplication.class)
			.arguments("--spring.main.web-application-type=none", "--celeriac.broker.type=rabbit",
					"--spring.rabbitmq.host=" + this.rabbit.host(), "--spring.rabbitmq.port=" + this.rabbit.port(),
					"--spring.rabbitmq.username=" + this.rabbit.username(),
					"--spring.rabbitmq.password=" + this.rabbit.password(),
					"--spring.rabbitmq.virtual-host=" + this.rabbit.virtualHost(),
					"--spring.data.redis.host=" + this.redisEndpoint.host(),
					"--spring.data.redis.port=" + this.redisEndpoint.port(),
					"--celeriac.redis.key-prefix=" + this.isolation.redisKeyPrefix(),
					"--celeriac.topology.exchange=" + this.exchange,
					"--celeriac.topology.queue-name-prefix=" + this.prefix, "--celeriac.worker.name=" + name,
					"--celeriac.worker.concurrency=20", "--celeriac.worker.prefetch=1",
					"--celeriac.worker.shutdown-timeout=" + shutdownTimeout,
					"--celeriac.worker.heartbeat-interval=500ms", "--test.records=" + this.records);
	}

	private void send(List<String> labels, String kind) {
		CachingConnectionFactory connectionFactory = new CachingConnectionFactory(this.rabbit.host(),
				this.rabbit.port());
		connectionFactory.setUsername(this.rabbit.username());
		connectionFactory.setPassword(this.rabbit.password());
		connectionFactory.setVirtualHost(this.rabbit.virtualHost());
		RabbitBroker broker = new RabbitBroker(connectionFactory, Duration.ofSeconds(10));
		try {
			Topology topology = new Topology(this.exchange, this.prefix, "platform.fifo", Set.of("shutdown"),
					QueueType.CLASSIC, ".error");
			BrokerTaskClient client = new BrokerTaskClient(broker, topology, new FirstSegmentTaskRouter(),
					new CeleryProtocol(new JsonMapper()), null);
			for (String label : labels) {
				client.send("shutdown.work", List.of(label, kind), Map.of(), TaskOptions.defaults());
			}
		}
		finally {
			broker.destroy();
			connectionFactory.destroy();
		}
	}

	private void awaitConsumers(int consumers) {
		await().atMost(WAIT).until(() -> {
			try (Connection connection = this.rabbit.connectionFactory().newConnection();
					Channel channel = connection.createChannel()) {
				return channel.queueDeclarePassive(this.prefix + "shutdown").getConsumerCount() == consumers;
			}
		});
	}

	private long messageCount(String queue) throws Exception {
		try (Connection connection = this.rabbit.connectionFactory().newConnection();
				Channel channel = connection.createChannel()) {
			return channel.queueDeclarePassive(queue).getMessageCount();
		}
	}

	private List<String> started(long pid) {
		return labelsOf(this.records + "started", pid);
	}

	private List<String> completed(long pid) {
		return labelsOf(this.records + "completed", pid);
	}

	private List<String> completed() {
		return this.redis.opsForList().range(this.records + "completed", 0, -1);
	}

	private List<String> labelsOf(String key, long pid) {
		return this.redis.opsForList()
			.range(key, 0, -1)
			.stream()
			.filter((record) -> record.endsWith(" " + pid))
			.map((record) -> record.split(" ")[0])
			.toList();
	}

	private static List<String> labels(String kind, int count) {
		return IntStream.range(0, count).mapToObj((i) -> kind + "-" + i).toList();
	}

	@SafeVarargs
	private static List<String> concat(List<String>... lists) {
		List<String> all = new ArrayList<>();
		for (List<String> list : lists) {
			all.addAll(list);
		}
		return all;
	}

}
