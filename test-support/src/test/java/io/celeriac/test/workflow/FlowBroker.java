package io.celeriac.test.workflow;

import java.time.Duration;
import java.util.List;

import io.celeriac.broker.Broker;
import io.celeriac.broker.redis.RedisBroker;
import io.celeriac.broker.sqs.SqsBroker;
import io.celeriac.test.broker.RabbitTestBroker;
import io.celeriac.test.broker.RedisTestBroker;
import io.celeriac.test.celery.CeleryTopology;
import io.celeriac.test.services.RabbitEndpoint;
import io.celeriac.test.services.RedisEndpoint;
import io.celeriac.test.services.ServiceIsolation;
import io.celeriac.test.services.SqsEndpoint;
import software.amazon.awssdk.services.sqs.SqsClient;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * The broker that both sides of {@link WorkflowInteropTests} use: the Java side's
 * {@link Broker}, Python Celery's broker URL for the same queues, and the broker
 * arguments of {@link FlowWorkerProcess}.
 *
 * @param broker the Java side's broker
 * @param celeryUrl kombu's URL of the same broker
 * @param childArguments the broker arguments of {@link FlowWorkerProcess}
 * @param celeryDeclares whether the Python side declares the topology too (otherwise it
 * uses what the Java side declared)
 * @param resources what to close when the suite ends
 * @author Celeriac team
 */
record FlowBroker(Broker broker, String celeryUrl, List<String> childArguments, boolean celeryDeclares,
		AutoCloseable resources) {

	/**
	 * Returns RabbitMQ as both sides' broker.
	 * @param rabbit the server
	 * @param isolation the test class's isolation
	 * @return the broker
	 */
	static FlowBroker rabbit(RabbitEndpoint rabbit, ServiceIsolation isolation) {
		RabbitTestBroker test = new RabbitTestBroker(rabbit, isolation);
		return new FlowBroker(test.broker(), CeleryTopology.brokerUrl(rabbit), List.of(rabbit.host(),
				String.valueOf(rabbit.port()), rabbit.username(), rabbit.password(), rabbit.virtualHost()), false,
				test);
	}

	/**
	 * Returns the Redis broker (kombu's layout) under the test class's key prefix as both
	 * sides' broker.
	 * @param redis the server
	 * @param isolation the test class's isolation
	 * @return the broker
	 */
	static FlowBroker redis(RedisEndpoint redis, ServiceIsolation isolation) {
		LettuceConnectionFactory connectionFactory = RedisTestBroker.connectionFactory(redis);
		// Java restores Python's unacked messages after this visibility timeout (it
		// touches its own deliveries while they run). Python's tasks here take 0.2 s
		// at most, one at a time (prefetch 1); a killed worker's message comes back
		// after it, which is what the killed-worker tests wait for.
		RedisBroker broker = new RedisBroker(connectionFactory, isolation.redisKeyPrefix(), Duration.ofSeconds(20),
				Duration.ofSeconds(1));
		return new FlowBroker(broker, CeleryTopology.brokerUrl(redis, isolation.redisKeyPrefix()),
				List.of("redis", redis.host(), String.valueOf(redis.port()), isolation.redisKeyPrefix()), false,
				connectionFactory::destroy);
	}

	/**
	 * Returns SQS as both sides' broker: the Java {@link SqsBroker} and kombu's SQS
	 * transport on the same server, queues named under the test class's prefix. kombu
	 * keeps an exchange's bindings in the memory of each connection, so the Python side
	 * declares them on every connection it publishes with.
	 * @param sqs the server
	 * @param isolation the test class's isolation
	 * @return the broker
	 */
	static FlowBroker sqs(SqsEndpoint sqs, ServiceIsolation isolation) {
		SqsClient client = sqs.client();
		return new FlowBroker(sqsBroker(client), CeleryTopology.brokerUrl(sqs),
				List.of("sqs", sqs.url(), sqs.region(), isolation.queueNamePrefix()), true, client);
	}

	/**
	 * Returns the Java side's SQS broker, as the suite's JVM and the worker process build
	 * it.
	 * @param client the client
	 * @return the broker
	 */
	static SqsBroker sqsBroker(SqsClient client) {
		// a short visibility timeout (live workers extend it) brings a killed worker's
		// message back soon; short long polls let workers stop quickly
		return new SqsBroker(client, Duration.ofSeconds(5), Duration.ofSeconds(1), true);
	}

}
