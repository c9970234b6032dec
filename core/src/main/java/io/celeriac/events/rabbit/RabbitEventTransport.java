package io.celeriac.events.rabbit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import io.celeriac.events.CeleryEvent;
import io.celeriac.events.EventSubscription;
import io.celeriac.events.EventTransport;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.amqp.rabbit.connection.Connection;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.beans.factory.DisposableBean;

/**
 * Celery's events on RabbitMQ, as Celery 5.2.6 sends and receives them: JSON event
 * messages on the durable {@code celeryev} topic exchange, routed by the event's type
 * ({@code task.succeeded}), transient ({@code delivery_mode} 1), with a {@code hostname}
 * header. Events are queued in a bounded buffer and published by one background thread,
 * so a slow or unreachable broker never holds up a task: when the buffer is full, or the
 * publish fails, the event is dropped and counted. A subscriber gets a queue of its own,
 * as Celery's {@code EventReceiver}: {@code celeryev.<uuid>}, bound with {@code #},
 * auto-deleted, with Celery's message TTL ({@code event_queue_ttl}) and expiry
 * ({@code event_queue_expires}).
 *
 * @author Celeriac team
 */
public class RabbitEventTransport implements EventTransport, DisposableBean {

	private static final Logger logger = LoggerFactory.getLogger(RabbitEventTransport.class);

	private static final Duration FAILURE_LOG_INTERVAL = Duration.ofMinutes(1);

	private final ConnectionFactory connectionFactory;

	private final Settings settings;

	private final BlockingQueue<CeleryEvent> buffer;

	private final JsonMapper json = JsonMapper.shared();

	private final AtomicLong dropped = new AtomicLong();

	private final Thread publisher;

	private volatile boolean closed;

	private @Nullable Channel channel;

	private long lastFailureLogged;

	/**
	 * Creates a transport and starts its publishing thread.
	 * @param connectionFactory the RabbitMQ connections
	 * @param settings the exchange, buffer and subscriber queue settings
	 */
	public RabbitEventTransport(ConnectionFactory connectionFactory, Settings settings) {
		this.connectionFactory = connectionFactory;
		this.settings = settings;
		this.buffer = new ArrayBlockingQueue<>(settings.bufferSize());
		this.publisher = new Thread(this::publishLoop, "celeriac-events");
		this.publisher.setDaemon(true);
		this.publisher.start();
	}

	@Override
	public boolean send(CeleryEvent event) {
		if (this.closed || !this.buffer.offer(event)) {
			dropped("the buffer of " + this.settings.bufferSize()
					+ " events is full (celeriac.events.buffer-size); the broker is slow or unreachable");
			return false;
		}
		return true;
	}

	@Override
	public long dropped() {
		return this.dropped.get();
	}

	@Override
	public EventSubscription subscribe(Consumer<CeleryEvent> handler) {
		Connection connection = this.connectionFactory.createConnection();
		Channel channel = connection.createChannel(false);
		String queue = this.settings.queuePrefix() + "." + UUID.randomUUID();
		try {
			declareExchange(channel);
			channel.queueDeclare(queue, false, false, true, Map.of("x-message-ttl", this.settings.queueTtl().toMillis(),
					"x-expires", this.settings.queueExpires().toMillis()));
			channel.queueBind(queue, this.settings.exchange(), "#");
			String consumerTag = channel.basicConsume(queue, true, new DefaultConsumer(channel) {

				@Override
				public void handleDelivery(String consumerTag, Envelope envelope, AMQP.BasicProperties properties,
						byte[] body) {
					deliver(body, handler);
				}

			});
			return () -> cancel(channel, consumerTag, queue);
		}
		catch (IOException ex) {
			close(channel);
			throw new IllegalStateException("Could not subscribe to the events on exchange '" + this.settings.exchange()
					+ "' (celeriac.events.exchange)", ex);
		}
	}

	/**
	 * Cancels the consumer and deletes its queue (closing a cached channel would leave
	 * both).
	 */
	private static void cancel(Channel channel, String consumerTag, String queue) {
		try {
			channel.basicCancel(consumerTag);
			channel.queueDelete(queue);
		}
		catch (IOException | RuntimeException ex) {
			// the channel is gone, and the auto-delete queue with it
		}
		close(channel);
	}

	private void deliver(byte[] body, Consumer<CeleryEvent> handler) {
		try {
			Object decoded = this.json.readValue(new String(body, StandardCharsets.UTF_8), Object.class);
			// Celery 4+ may send a list of events (its buffered groups)
			List<?> events = (decoded instanceof List<?> list) ? list : List.of(decoded);
			for (Object event : events) {
				if (event instanceof Map<?, ?> map && map.get("type") instanceof String) {
					@SuppressWarnings("unchecked")
					Map<String, @Nullable Object> fields = (Map<String, @Nullable Object>) map;
					handler.accept(new CeleryEvent(fields));
				}
			}
		}
		catch (RuntimeException ex) {
			logger.warn("Could not handle an event from exchange '{}': {}", this.settings.exchange(), ex.toString());
		}
	}

	private void publishLoop() {
		while (!this.closed || !this.buffer.isEmpty()) {
			CeleryEvent event;
			try {
				event = this.buffer.poll(100, TimeUnit.MILLISECONDS);
			}
			catch (InterruptedException ex) {
				if (this.closed) {
					break;
				}
				continue;
			}
			if (event != null) {
				publish(event);
			}
		}
		Channel channel = this.channel;
		if (channel != null) {
			close(channel);
		}
	}

	private void publish(CeleryEvent event) {
		try {
			Channel channel = this.channel;
			if (channel == null || !channel.isOpen()) {
				channel = this.connectionFactory.createConnection().createChannel(false);
				declareExchange(channel);
				this.channel = channel;
			}
			AMQP.BasicProperties properties = new AMQP.BasicProperties.Builder().contentType("application/json")
				.contentEncoding("utf-8")
				.deliveryMode(1)
				.priority(0)
				.headers(Map.of("hostname", String.valueOf(event.hostname())))
				.build();
			channel.basicPublish(this.settings.exchange(), event.routingKey(), properties,
					this.json.writeValueAsBytes(event.fields()));
		}
		catch (IOException | RuntimeException ex) {
			Channel channel = this.channel;
			this.channel = null;
			if (channel != null) {
				close(channel);
			}
			dropped("publishing failed: " + ex);
		}
	}

	private void declareExchange(Channel channel) throws IOException {
		// as Celery declares it: durable, not auto-deleted
		channel.exchangeDeclare(this.settings.exchange(), "topic", true, false, null);
	}

	private void dropped(String reason) {
		this.dropped.incrementAndGet();
		long now = System.nanoTime();
		synchronized (this) {
			if (this.lastFailureLogged == 0 || now - this.lastFailureLogged > FAILURE_LOG_INTERVAL.toNanos()) {
				this.lastFailureLogged = now;
				logger.warn("Celery events are being dropped ({} so far): {}", this.dropped.get(), reason);
			}
		}
	}

	private static void close(Channel channel) {
		try {
			channel.close();
		}
		catch (IOException | RuntimeException | java.util.concurrent.TimeoutException ex) {
			// already closed
		}
	}

	/**
	 * Publishes the events still buffered (for up to a second), then stops.
	 */
	@Override
	public void destroy() {
		this.closed = true;
		try {
			this.publisher.join(1000);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		this.publisher.interrupt();
	}

	/**
	 * How events travel on RabbitMQ.
	 *
	 * @param exchange the topic exchange (Celery's {@code event_exchange})
	 * @param bufferSize how many events wait to be published before new ones are dropped
	 * @param queuePrefix the prefix of a subscriber's queue name (Celery's
	 * {@code event_queue_prefix})
	 * @param queueTtl how long an event waits in a subscriber's queue (Celery's
	 * {@code event_queue_ttl})
	 * @param queueExpires how long a subscriber's queue outlives its consumer (Celery's
	 * {@code event_queue_expires})
	 */
	public record Settings(String exchange, int bufferSize, String queuePrefix, Duration queueTtl,
			Duration queueExpires) {

		public Settings {
			if (bufferSize < 1) {
				throw new IllegalArgumentException(
						"The event buffer needs room for at least one event (celeriac.events.buffer-size): "
								+ bufferSize);
			}
		}

		/**
		 * Returns Celery's defaults: exchange {@code celeryev}, queues
		 * {@code celeryev.<uuid>} with a 5 s message TTL that expire 60 s after their
		 * consumer left, and a buffer of 10,000 events.
		 * @return the settings
		 */
		public static Settings defaults() {
			return new Settings("celeryev", 10_000, "celeryev", Duration.ofSeconds(5), Duration.ofSeconds(60));
		}

	}

}
