package io.celeriac.sample;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.celeriac.broker.rabbit.RabbitBroker;
import io.celeriac.protocol.CeleryProtocol;
import io.celeriac.task.BrokerTaskClient;
import io.celeriac.task.TaskOptions;
import io.celeriac.test.process.ChildProcess;
import io.celeriac.test.process.JavaProcess;
import io.celeriac.test.services.RabbitEndpoint;
import io.celeriac.test.services.RealServices;
import io.celeriac.test.services.ServiceIsolation;
import io.celeriac.topology.FirstSegmentTaskRouter;
import io.celeriac.topology.QueueType;
import io.celeriac.topology.Topology;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A worker process killed with SIGKILL in the middle of a task loses nothing: RabbitMQ
 * gives the unacknowledged message to the next worker, which runs the task to the end.
 *
 * @author Celeriac team
 */
@RealServices
class WorkerCrashTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(90);

	@Test
	void aTaskInterruptedBySigkillRunsOnTheNextWorker(RabbitEndpoint rabbit, ServiceIsolation isolation) {
		String exchange = isolation.exchange("crash");
		String prefix = isolation.queueNamePrefix();
		for (String queue : List.of("platform.fifo", "celery", "sample", "processing", "processing-quarantine")) {
			isolation.removeAfterwards(prefix + queue);
			isolation.removeAfterwards(prefix + queue + ".error");
		}
		JavaProcess worker = JavaProcess.of(SampleApplication.class)
			.arguments("--server.port=0", "--celeriac.broker.type=rabbit", "--spring.rabbitmq.host=" + rabbit.host(),
					"--spring.rabbitmq.port=" + rabbit.port(), "--spring.rabbitmq.username=" + rabbit.username(),
					"--spring.rabbitmq.password=" + rabbit.password(),
					"--spring.rabbitmq.virtual-host=" + rabbit.virtualHost(),
					"--celeriac.topology.exchange=" + exchange, "--celeriac.topology.queue-name-prefix=" + prefix,
					"--celeriac.worker.concurrency=1",
					// no Redis here: delayed tasks stay in this process, by choice
					"--celeriac.scheduler.type=memory");
		String id;
		try (ChildProcess first = worker.start()) {
			first.awaitLine("Started SampleApplication", TIMEOUT);
			id = send(rabbit, exchange, prefix);
			first.awaitLine((line) -> line.contains(id) && line.contains("Sleeping 3.0 s"), "the task starting",
					TIMEOUT);
			first.kill();
			assertThat(first.output()).noneMatch((line) -> line.contains("Slept 3.0 s"));
		}
		try (ChildProcess second = worker.start()) {
			second.awaitLine((line) -> line.contains(id) && line.contains("was delivered before"),
					"the redelivery of " + id, TIMEOUT);
			second.awaitLine((line) -> line.contains(id) && line.contains("Slept 3.0 s"), "the task finishing",
					TIMEOUT);
		}
	}

	private static String send(RabbitEndpoint rabbit, String exchange, String prefix) {
		CachingConnectionFactory connectionFactory = new CachingConnectionFactory(rabbit.host(), rabbit.port());
		connectionFactory.setUsername(rabbit.username());
		connectionFactory.setPassword(rabbit.password());
		connectionFactory.setVirtualHost(rabbit.virtualHost());
		RabbitBroker broker = new RabbitBroker(connectionFactory, Duration.ofSeconds(10));
		try {
			Topology topology = new Topology(exchange, prefix, "platform.fifo", Set.of("sample"), QueueType.CLASSIC,
					".error");
			BrokerTaskClient client = new BrokerTaskClient(broker, topology, new FirstSegmentTaskRouter(),
					new CeleryProtocol(new JsonMapper()), null);
			return client.send("sample.sleep", List.of(3.0), Map.of(), TaskOptions.defaults()).id();
		}
		finally {
			broker.destroy();
			connectionFactory.destroy();
		}
	}

}
