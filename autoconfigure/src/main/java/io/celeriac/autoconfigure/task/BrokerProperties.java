package io.celeriac.autoconfigure.task;

import java.net.URI;
import java.time.Duration;

import io.celeriac.autoconfigure.BrokerType;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Where tasks are published and consumed.
 * <p>
 * Bound to {@code celeriac.broker.*}.
 *
 * @author Celeriac team
 */
@ConfigurationProperties("celeriac.broker")
public class BrokerProperties {

	/**
	 * Broker backend. When unset: rabbit if spring.rabbitmq.host, addresses or port is
	 * set or a RabbitConnectionDetails bean exists, memory otherwise.
	 */
	private @Nullable BrokerType type;

	/**
	 * How long publishing a task may take in all (connecting, writing the message and the
	 * broker's confirmation) before it fails.
	 */
	private Duration confirmTimeout = Duration.ofSeconds(10);

	/**
	 * Redis and SQS brokers only: how long a delivered message stays with a consumer that
	 * stopped extending it (a dead worker) before it goes back to its queue. A live
	 * worker extends its deliveries every third of this, however long its tasks run.
	 * Whole seconds on SQS. On Redis it is kombu's {@code visibility_timeout}: Python
	 * workers sharing the Redis do not extend theirs, so keep it above their longest
	 * task.
	 */
	private Duration visibilityTimeout = Duration.ofSeconds(30);

	/**
	 * Redis broker only: how long an idle consumer blocks waiting for a message before it
	 * looks again and returns the expired deliveries of dead workers (whole seconds, at
	 * least one); a message from a Python Celery producer, which wakes no Java consumer,
	 * is found within this.
	 */
	private Duration pollTimeout = Duration.ofSeconds(1);

	/**
	 * Redis broker only: the prefix of its keys, kombu's {@code global_keyprefix}
	 * transport option (empty, as Python Celery's default, to share queues with Python
	 * Celery that sets none). When not set, {@code celeriac.redis.key-prefix}.
	 */
	private @Nullable String keyPrefix;

	private final Sqs sqs = new Sqs();

	public @Nullable String getKeyPrefix() {
		return this.keyPrefix;
	}

	public void setKeyPrefix(@Nullable String keyPrefix) {
		this.keyPrefix = keyPrefix;
	}

	public @Nullable BrokerType getType() {
		return this.type;
	}

	public void setType(@Nullable BrokerType type) {
		this.type = type;
	}

	public Duration getConfirmTimeout() {
		return this.confirmTimeout;
	}

	public void setConfirmTimeout(Duration confirmTimeout) {
		this.confirmTimeout = confirmTimeout;
	}

	public Duration getVisibilityTimeout() {
		return this.visibilityTimeout;
	}

	public void setVisibilityTimeout(Duration visibilityTimeout) {
		this.visibilityTimeout = visibilityTimeout;
	}

	public Duration getPollTimeout() {
		return this.pollTimeout;
	}

	public void setPollTimeout(Duration pollTimeout) {
		this.pollTimeout = pollTimeout;
	}

	public Sqs getSqs() {
		return this.sqs;
	}

	/**
	 * The Amazon SQS broker ({@code celeriac.broker.type=sqs}).
	 */
	public static class Sqs {

		/**
		 * AWS region of the queues, e.g. eu-west-1. When unset: the AWS SDK's default
		 * region chain (AWS_REGION, the profile, instance metadata).
		 */
		private @Nullable String region;

		/**
		 * Endpoint that replaces SQS's, e.g. http://localhost:9324 for ElasticMQ or
		 * LocalStack. When unset: the region's SQS endpoint.
		 */
		private @Nullable URI endpoint;

		/**
		 * Whether queues that do not exist are created when the topology is declared or a
		 * message is sent to them. When false, a missing queue stops startup with its
		 * name.
		 */
		private boolean createQueues = true;

		/**
		 * How long a consumer's receive waits for a message (SQS long polling, at most
		 * 20s). Longer waits mean fewer, cheaper empty receives.
		 */
		private Duration waitTime = Duration.ofSeconds(10);

		/**
		 * Whether a task whose eta is ahead waits in SQS (a delay of at most 15 minutes)
		 * rather than in the delayed task store; longer delays go to the store either
		 * way.
		 */
		private boolean nativeDelays = true;

		public @Nullable String getRegion() {
			return this.region;
		}

		public void setRegion(@Nullable String region) {
			this.region = region;
		}

		public @Nullable URI getEndpoint() {
			return this.endpoint;
		}

		public void setEndpoint(@Nullable URI endpoint) {
			this.endpoint = endpoint;
		}

		public boolean isCreateQueues() {
			return this.createQueues;
		}

		public void setCreateQueues(boolean createQueues) {
			this.createQueues = createQueues;
		}

		public Duration getWaitTime() {
			return this.waitTime;
		}

		public void setWaitTime(Duration waitTime) {
			this.waitTime = waitTime;
		}

		public boolean isNativeDelays() {
			return this.nativeDelays;
		}

		public void setNativeDelays(boolean nativeDelays) {
			this.nativeDelays = nativeDelays;
		}

	}

}
