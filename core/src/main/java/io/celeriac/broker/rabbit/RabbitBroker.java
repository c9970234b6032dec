package io.celeriac.broker.rabbit;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;
import java.util.function.LongConsumer;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.GetResponse;
import io.celeriac.broker.Broker;
import io.celeriac.broker.ConsumerSettings;
import io.celeriac.broker.DelayedMessageCounter;
import io.celeriac.broker.Delivery;
import io.celeriac.broker.DeliveryHandler;
import io.celeriac.broker.PublishFailedException;
import io.celeriac.broker.PublishTimeoutException;
import io.celeriac.broker.QueueReader;
import io.celeriac.broker.QueueStats;
import io.celeriac.broker.Subscription;
import io.celeriac.protocol.WireMessage;
import io.celeriac.topology.QueueType;
import io.celeriac.topology.Topology;
import org.jspecify.annotations.Nullable;

import org.springframework.amqp.core.Binding;
import org.springframework.amqp.core.BindingBuilder;
import org.springframework.amqp.core.CustomExchange;
import org.springframework.amqp.core.Exchange;
import org.springframework.amqp.core.MessageDeliveryMode;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.core.QueueBuilder;
import org.springframework.amqp.rabbit.connection.Connection;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.amqp.rabbit.support.MessagePropertiesConverter;
import org.springframework.beans.factory.DisposableBean;

/**
 * The RabbitMQ broker. Publishes with publisher confirms (each publish completes when
 * RabbitMQ confirms it, without waiting for one message before sending the next) on the
 * publisher connection of the application's connection factory, which connects to the
 * same addresses (every node of {@code spring.rabbitmq.addresses}, in their order) but is
 * not slowed down when RabbitMQ blocks publishers; consumes with manual acknowledgements
 * on the application's connection factory. Both come back by themselves after RabbitMQ
 * restarts: a publish while it is away fails within the confirm timeout, and the next one
 * after its return connects again.
 *
 * @author Celeriac team
 */
public class RabbitBroker implements Broker, DisposableBean {

	private final ConnectionFactory connectionFactory;

	private final ConfirmingPublisher publisher;

	private final RabbitAdmin admin;

	private final Duration confirmTimeout;

	private final DelayedMessageCounter delayed;

	private static final int PUBLISHER_CHANNELS = 4;

	private final MessagePropertiesConverter propertiesConverter = new WirePropertiesConverter();

	private final Map<String, AtomicLong> inFlight = new ConcurrentHashMap<>();

	/**
	 * Creates a broker on the given connection factory.
	 * @param connectionFactory the application's connection factory, used to declare and
	 * read queues; each queue's consumers connect with its settings on a connection of
	 * their own, and publishing uses its publisher connection factory, with confirms
	 * @param confirmTimeout how long a publish may take, from the call to RabbitMQ's
	 * confirmation
	 */
	public RabbitBroker(ConnectionFactory connectionFactory, Duration confirmTimeout) {
		this(connectionFactory, confirmTimeout, DelayedMessageCounter.NONE);
	}

	/**
	 * Creates a broker on the given connection factory that reports the delayed tasks of
	 * each queue.
	 * @param connectionFactory the application's connection factory, used to declare and
	 * read queues; each queue's consumers connect with its settings on a connection of
	 * their own, and publishing uses its publisher connection factory, with confirms
	 * @param confirmTimeout how long a publish may take, from the call to RabbitMQ's
	 * confirmation
	 * @param delayed counts the delayed tasks waiting to return to each queue (the
	 * delayed task store)
	 */
	public RabbitBroker(ConnectionFactory connectionFactory, Duration confirmTimeout, DelayedMessageCounter delayed) {
		this.delayed = delayed;
		this.connectionFactory = connectionFactory;
		this.publisher = new ConfirmingPublisher(publishingConnections(connectionFactory), PUBLISHER_CHANNELS,
				confirmTimeout);
		this.admin = new RabbitAdmin(connectionFactory);
		this.confirmTimeout = confirmTimeout;
	}

	/**
	 * The application's publisher connection factory: Spring AMQP gives it the same
	 * addresses, credentials and settings as the application's (Spring Boot sets
	 * {@code spring.rabbitmq.addresses} on both), and a connection of its own.
	 */
	private static ConnectionFactory publishingConnections(ConnectionFactory connectionFactory) {
		ConnectionFactory publisher = connectionFactory.getPublisherConnectionFactory();
		return (publisher != null) ? publisher : connectionFactory;
	}

	@Override
	public void declare(Topology topology) {
		Exchange exchange = new CustomExchange(topology.exchange(), topology.exchangeType().amqpName(), true, false);
		this.admin.declareExchange(exchange);
		String monitor = topology.monitorQueueName();
		for (Topology.QueueBinding binding : topology.bindings()) {
			// service queues order by message priority when asked to; the monitor queue
			// keeps copies and is not consumed by workers
			int maxPriority = binding.queue().equals(monitor) ? 0 : topology.maxPriority();
			Queue queue = queue(binding.queue(), topology.queueType(), maxPriority);
			this.admin.declareQueue(queue);
			Binding declared = BindingBuilder.bind(queue).to(exchange).with(binding.routingKey()).noargs();
			this.admin.declareBinding(declared);
		}
		for (String errorQueue : topology.errorQueueNames()) {
			this.admin.declareQueue(queue(errorQueue, topology.queueType(), 0));
		}
	}

	private static Queue queue(String name, QueueType type, int maxPriority) {
		QueueBuilder builder = QueueBuilder.durable(name);
		if (type == QueueType.QUORUM) {
			builder.quorum();
		}
		if (maxPriority > 0) {
			builder.maxPriority(maxPriority);
		}
		return builder.build();
	}

	@Override
	public CompletableFuture<Void> publish(String exchange, String routingKey, WireMessage message) {
		return this.publisher.publish(exchange, routingKey, properties(message), message.body())
			.exceptionally((failure) -> {
				Throwable cause = (failure instanceof CompletionException && failure.getCause() != null)
						? failure.getCause() : failure;
				if (cause instanceof PublishTimeoutException timeout) {
					throw new PublishTimeoutException("RabbitMQ did not confirm message " + message.correlationId()
							+ " within " + this.confirmTimeout, timeout);
				}
				if (cause instanceof PublishFailedException publishFailure) {
					throw publishFailure;
				}
				throw new PublishFailedException("Publishing message " + message.correlationId() + " failed", cause);
			});
	}

	@Override
	public Subscription consume(String queue, ConsumerSettings settings, DeliveryHandler handler) {
		return new RabbitSubscription(this.connectionFactory, queue, settings, handler, inFlight(queue));
	}

	@Override
	public @Nullable Delivery get(String queue) {
		Connection connection = this.connectionFactory.createConnection();
		Channel channel = connection.createChannel(false);
		try {
			GetResponse response = channel.basicGet(queue, false);
			if (response == null) {
				closeQuietly(channel);
				return null;
			}
			return delivery(response, queue, channel, true, inFlight(queue)::addAndGet);
		}
		catch (IOException ex) {
			closeQuietly(channel);
			throw new PublishFailedException("Could not get a message from queue '" + queue + "'", ex);
		}
	}

	/**
	 * Opens a reader on one channel of its own on the application's connection, which
	 * holds the deliveries it leaves unacknowledged there: the channels used do not grow
	 * with the number of messages held.
	 */
	@Override
	public QueueReader reader(String queue) {
		return new RabbitQueueReader(this, this.connectionFactory.createConnection(), queue, inFlight(queue));
	}

	RabbitDelivery delivery(GetResponse response, String queue, Channel channel, boolean closeChannelWhenSettled,
			LongConsumer inFlight) {
		MessageProperties properties = this.propertiesConverter.toMessageProperties(response.getProps(),
				response.getEnvelope(), "UTF-8");
		return new RabbitDelivery(toWire(response.getBody(), properties), queue, response.getEnvelope().getRoutingKey(),
				response.getEnvelope().isRedeliver(), channel, response.getEnvelope().getDeliveryTag(),
				closeChannelWhenSettled, inFlight);
	}

	@Override
	public boolean queueExists(String queue) {
		return this.admin.getQueueProperties(queue) != null;
	}

	@Override
	public long messageCount(String queue) {
		java.util.Properties properties = this.admin.getQueueProperties(queue);
		if (properties == null) {
			return 0;
		}
		Object count = properties.get(RabbitAdmin.QUEUE_MESSAGE_COUNT);
		return (count instanceof Number number) ? number.longValue() : 0;
	}

	@Override
	public long purge(String queue) {
		if (!queueExists(queue)) {
			return 0;
		}
		return this.admin.purgeQueue(queue);
	}

	/**
	 * Returns a queue's figures. RabbitMQ reports the ready messages; in flight are the
	 * deliveries this process holds unsettled, since AMQP does not report other
	 * consumers' (the management API does); delayed are the tasks in the delayed task
	 * store that return to it, since RabbitMQ has no delay of its own.
	 */
	@Override
	public QueueStats stats(String queue) {
		return new QueueStats(messageCount(queue), inFlight(queue).get(), this.delayed.countDelayed(queue));
	}

	private AtomicLong inFlight(String queue) {
		return this.inFlight.computeIfAbsent(queue, (name) -> new AtomicLong());
	}

	/**
	 * Deletes a queue; for tools and tests.
	 * @param queue the queue's name
	 */
	public void deleteQueue(String queue) {
		this.admin.deleteQueue(queue);
	}

	@Override
	public void destroy() {
		this.publisher.close();
	}

	static AMQP.BasicProperties properties(WireMessage message) {
		return new AMQP.BasicProperties.Builder().contentType(message.contentType())
			.contentEncoding(message.contentEncoding())
			.headers(new java.util.LinkedHashMap<>(message.headers()))
			.deliveryMode(message.persistent() ? 2 : 1)
			.priority(message.priority())
			.correlationId(message.correlationId())
			.replyTo(message.replyTo())
			.expiration(message.expiration())
			.build();
	}

	static WireMessage toWire(byte[] body, MessageProperties properties) {
		Integer priority = properties.getPriority();
		return new WireMessage(body, properties.getContentType(), properties.getContentEncoding(),
				properties.getHeaders(), properties.getCorrelationId(), properties.getReplyTo(),
				(priority != null) ? priority : 0,
				properties.getReceivedDeliveryMode() != MessageDeliveryMode.NON_PERSISTENT, properties.getExpiration());
	}

	static void closeQuietly(Channel channel) {
		try {
			if (channel.isOpen()) {
				channel.close();
			}
		}
		catch (IOException | TimeoutException | RuntimeException ex) {
			// the channel is gone either way
		}
	}

}
