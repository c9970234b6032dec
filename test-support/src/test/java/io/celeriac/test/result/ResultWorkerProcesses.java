package io.celeriac.test.result;

import java.time.Duration;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import io.celeriac.test.process.ChildProcess;
import io.celeriac.test.process.JavaProcess;
import io.celeriac.test.services.PostgresEndpoint;
import io.celeriac.test.services.RabbitEndpoint;
import io.celeriac.test.services.ServiceIsolation;
import io.celeriac.topology.Topology;

/**
 * The worker JVMs that the result tests kill with SIGKILL while they write results: each
 * main class takes the RabbitMQ endpoint, the topology and the PostgreSQL schema as
 * arguments and prints {@code READY} once it consumes. Also tells how many consumers a
 * queue still has, to know when a killed worker's connection is gone.
 *
 * @author Celeriac team
 */
final class ResultWorkerProcesses {

	private static final Duration STARTUP = Duration.ofSeconds(60);

	private ResultWorkerProcesses() {
	}

	/**
	 * Starts a worker JVM and waits until it consumes.
	 * @param mainClass the worker's main class
	 * @param topology the topology it consumes, declared
	 * @param rabbit the RabbitMQ server
	 * @param postgres the PostgreSQL server
	 * @param isolation the test class's isolation, whose schema holds the results
	 * @return the running worker, its output captured
	 */
	static ChildProcess start(Class<?> mainClass, Topology topology, RabbitEndpoint rabbit, PostgresEndpoint postgres,
			ServiceIsolation isolation) {
		ChildProcess worker = JavaProcess.of(mainClass)
			.arguments(rabbit.host(), String.valueOf(rabbit.port()), rabbit.username(), rabbit.password(),
					rabbit.virtualHost(), topology.exchange(), topology.queueNamePrefix(), isolation.jdbcUrl(),
					postgres.username(), postgres.password())
			.start();
		try {
			worker.awaitLine("READY", STARTUP);
		}
		catch (RuntimeException ex) {
			worker.kill();
			throw ex;
		}
		return worker;
	}

	/**
	 * Returns how many consumers a queue has now.
	 * @param rabbit the RabbitMQ server
	 * @param queue the queue's full name
	 * @return the number of consumers
	 * @throws Exception if RabbitMQ cannot be asked
	 */
	static long consumers(RabbitEndpoint rabbit, String queue) throws Exception {
		try (Connection connection = rabbit.connectionFactory().newConnection();
				Channel channel = connection.createChannel()) {
			return channel.queueDeclarePassive(queue).getConsumerCount();
		}
	}

}
