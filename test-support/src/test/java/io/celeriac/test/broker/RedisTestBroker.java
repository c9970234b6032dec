package io.celeriac.test.broker;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import io.celeriac.broker.DelayedMessageCounter;
import io.celeriac.broker.redis.RedisBroker;
import io.celeriac.test.services.RedisEndpoint;
import io.celeriac.test.services.ServiceIsolation;
import io.celeriac.topology.QueueType;
import io.celeriac.topology.Topology;

import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * A {@link RedisBroker} on the test run's Redis, under the test class's key prefix (so
 * that {@link ServiceIsolation} removes every key afterwards), with a short visibility
 * timeout.
 *
 * @author Celeriac team
 */
public final class RedisTestBroker implements AutoCloseable {

	/**
	 * The visibility timeout of the test broker.
	 */
	public static final Duration VISIBILITY_TIMEOUT = Duration.ofSeconds(2);

	private static final AtomicInteger topologies = new AtomicInteger();

	private final LettuceConnectionFactory connectionFactory;

	private final RedisBroker broker;

	private final ServiceIsolation isolation;

	public RedisTestBroker(RedisEndpoint redis, ServiceIsolation isolation) {
		this(connectionFactory(redis), isolation, DelayedMessageCounter.NONE);
	}

	/**
	 * Creates a broker on a connection factory of the caller's, which this closes.
	 * @param connectionFactory a started connection factory
	 * @param isolation the test class's isolation
	 * @param delayed counts the delayed tasks of each queue
	 */
	public RedisTestBroker(LettuceConnectionFactory connectionFactory, ServiceIsolation isolation,
			DelayedMessageCounter delayed) {
		this.connectionFactory = connectionFactory;
		this.broker = new RedisBroker(this.connectionFactory, isolation.redisKeyPrefix(), VISIBILITY_TIMEOUT,
				Duration.ofSeconds(1), delayed);
		this.isolation = isolation;
	}

	/**
	 * Returns a started connection factory to the endpoint.
	 * @param redis the endpoint
	 * @return the connection factory, to be destroyed by the caller
	 */
	public static LettuceConnectionFactory connectionFactory(RedisEndpoint redis) {
		LettuceConnectionFactory factory = new LettuceConnectionFactory(
				new RedisStandaloneConfiguration(redis.host(), redis.port()));
		factory.afterPropertiesSet();
		factory.start();
		return factory;
	}

	public LettuceConnectionFactory connectionFactory() {
		return this.connectionFactory;
	}

	public RedisBroker broker() {
		return this.broker;
	}

	public Topology newTopology(String... services) {
		int number = topologies.incrementAndGet();
		return new Topology("tasks" + number, this.isolation.queueNamePrefix() + number + "-", "platform.fifo",
				Set.of(services), QueueType.CLASSIC, ".error");
	}

	@Override
	public void close() {
		this.connectionFactory.destroy();
	}

}
