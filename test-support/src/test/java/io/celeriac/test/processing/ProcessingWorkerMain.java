package io.celeriac.test.processing;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

import io.celeriac.broker.rabbit.RabbitBroker;
import io.celeriac.processing.redis.RedisOperationStore;
import io.celeriac.topology.QueueType;
import io.celeriac.topology.Topology;

import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * A worker of cached operations in a child JVM, for {@link KilledProcessingWorkerTests}:
 * on RabbitMQ and Redis, one consumer, with the gate of {@link Documents} closed for
 * good, so that a processing it takes never ends until the process is killed. Arguments:
 * RabbitMQ host, port, user, password, virtual host, exchange, queue name prefix, Redis
 * host, port, key prefix.
 *
 * @author Celeriac team
 */
public final class ProcessingWorkerMain {

	private ProcessingWorkerMain() {
	}

	public static void main(String[] args) throws InterruptedException {
		CachingConnectionFactory rabbit = new CachingConnectionFactory(args[0], Integer.parseInt(args[1]));
		rabbit.setUsername(args[2]);
		rabbit.setPassword(args[3]);
		rabbit.setVirtualHost(args[4]);
		RabbitBroker broker = new RabbitBroker(rabbit, Duration.ofSeconds(10));
		Topology topology = new Topology(args[5], args[6], "platform.fifo",
				Set.of(CachedOperationsContractTests.SERVICE, CachedOperationsContractTests.QUARANTINE_SERVICE),
				QueueType.CLASSIC, ".error");
		LettuceConnectionFactory redis = new LettuceConnectionFactory(
				new RedisStandaloneConfiguration(args[7], Integer.parseInt(args[8])));
		redis.afterPropertiesSet();
		redis.start();
		ProcessingStack stack = ProcessingStack.of(broker, topology, new RedisOperationStore(redis, args[9]),
				"doomed@child", 1);
		if ("callback".equals(args[10])) {
			stack.documents().closeCallbacks();
		}
		else {
			stack.documents().close();
		}
		stack.worker().start();
		System.out.println("worker ready");
		// nothing ever counts down: the child runs until the test kills it
		new CountDownLatch(1).await();
	}

}
