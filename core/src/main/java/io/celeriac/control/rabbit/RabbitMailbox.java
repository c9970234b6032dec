package io.celeriac.control.rabbit;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import io.celeriac.control.ControlMessage;
import io.celeriac.control.Mailbox;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.amqp.AmqpException;
import org.springframework.amqp.core.AcknowledgeMode;
import org.springframework.amqp.core.MessageListener;
import org.springframework.amqp.rabbit.connection.Connection;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.connection.ConnectionListener;
import org.springframework.amqp.rabbit.listener.SimpleMessageListenerContainer;

/**
 * The {@link Mailbox} on RabbitMQ, laid out as kombu's {@code pidbox} for Celery's
 * {@code control_exchange} (default {@code celery}): commands are published to the fanout
 * exchange {@code celery.pidbox}; each worker consumes its own queue
 * {@code <hostname>.celery.pidbox} (not durable, auto-delete, expiring after
 * {@code control_queue_expires} unused, messages living {@code control_queue_ttl});
 * replies go to the direct exchange {@code reply.celery.pidbox}, routed to the sender's
 * queue {@code <oid>.reply.celery.pidbox}, with the command's ticket in their
 * {@code ticket} header. Bodies are JSON.
 *
 * @author Celeriac team
 */
public class RabbitMailbox implements Mailbox {

	private static final Logger logger = LoggerFactory.getLogger(RabbitMailbox.class);

	private static final String JSON = "application/json";

	private final ConnectionFactory connectionFactory;

	private final String namespace;

	private final Duration queueTtl;

	private final Duration queueExpires;

	private final JsonMapper mapper = JsonMapper.builder().build();

	/**
	 * Creates a mailbox with Celery's defaults: namespace {@code celery}, messages living
	 * 300 seconds, queues expiring 10 seconds after their last consumer.
	 * @param connectionFactory the RabbitMQ connections
	 */
	public RabbitMailbox(ConnectionFactory connectionFactory) {
		this(connectionFactory, "celery", Duration.ofSeconds(300), Duration.ofSeconds(10));
	}

	/**
	 * Creates a mailbox.
	 * @param connectionFactory the RabbitMQ connections
	 * @param namespace Celery's {@code control_exchange}: the exchanges are
	 * {@code <namespace>.pidbox} and {@code reply.<namespace>.pidbox}
	 * @param queueTtl Celery's {@code control_queue_ttl}: how long a command or reply
	 * waits in a queue
	 * @param queueExpires Celery's {@code control_queue_expires}: how long a mailbox or
	 * reply queue lives without consumers
	 */
	public RabbitMailbox(ConnectionFactory connectionFactory, String namespace, Duration queueTtl,
			Duration queueExpires) {
		this.connectionFactory = connectionFactory;
		this.namespace = namespace;
		this.queueTtl = queueTtl;
		this.queueExpires = queueExpires;
	}

	/**
	 * Returns the fanout exchange commands are published to.
	 * @return {@code <namespace>.pidbox}
	 */
	public String exchange() {
		return this.namespace + ".pidbox";
	}

	/**
	 * Returns the direct exchange replies are published to.
	 * @return {@code reply.<namespace>.pidbox}
	 */
	public String replyExchange() {
		return "reply." + this.namespace + ".pidbox";
	}

	/**
	 * Returns the mailbox queue of a worker.
	 * @param hostname the worker's name
	 * @return {@code <hostname>.<namespace>.pidbox}
	 */
	public String queueName(String hostname) {
		return hostname + "." + this.namespace + ".pidbox";
	}

	@Override
	public Map<String, @Nullable Object> broker() {
		Map<String, @Nullable Object> broker = new LinkedHashMap<>();
		broker.put("hostname", this.connectionFactory.getHost());
		broker.put("userid", this.connectionFactory.getUsername());
		broker.put("virtual_host", this.connectionFactory.getVirtualHost());
		broker.put("port", this.connectionFactory.getPort());
		broker.put("transport", "amqp");
		return broker;
	}

	@Override
	public AutoCloseable listen(String hostname, Consumer<ControlMessage> commands) {
		String queue = queueName(hostname);
		ConnectionListener redeclare = new ConnectionListener() {

			@Override
			public void onCreate(Connection connection) {
				// an auto-delete queue is gone with the connection that consumed it
				try (Channel channel = connection.createChannel(false)) {
					declareMailbox(channel, queue);
				}
				catch (IOException | java.util.concurrent.TimeoutException | RuntimeException ex) {
					logger.warn("Could not declare the control mailbox {}: {}", queue, ex.toString());
				}
			}

		};
		withChannel((channel) -> declareMailbox(channel, queue));
		this.connectionFactory.addConnectionListener(redeclare);
		SimpleMessageListenerContainer container = new SimpleMessageListenerContainer(this.connectionFactory);
		container.setBeanName("celeriac-pidbox-" + hostname);
		container.setQueueNames(queue);
		container.setAcknowledgeMode(AcknowledgeMode.NONE);
		container.setMissingQueuesFatal(false);
		container.setMessageListener((MessageListener) (message) -> {
			ControlMessage command;
			try {
				@SuppressWarnings("unchecked")
				Map<String, Object> body = this.mapper.readValue(message.getBody(), Map.class);
				command = ControlMessage.fromMap(body);
			}
			catch (RuntimeException ex) {
				logger.error("Cannot decode control message from {}: {}", queue, ex.toString());
				return;
			}
			commands.accept(command);
		});
		container.afterPropertiesSet();
		container.start();
		return () -> {
			container.stop();
			container.destroy();
			this.connectionFactory.removeConnectionListener(redeclare);
		};
	}

	@Override
	public void reply(ControlMessage.ReplyTo replyTo, String ticket, Map<String, @Nullable Object> reply) {
		byte[] body = this.mapper.writeValueAsBytes(reply);
		Map<String, Object> headers = new HashMap<>();
		headers.put("ticket", ticket);
		headers.put("clock", 0);
		withChannel((channel) -> {
			channel.exchangeDeclare(replyTo.exchange(), "direct", false, false, null);
			channel.basicPublish(replyTo.exchange(), replyTo.routingKey(), properties(headers), body);
		});
	}

	@Override
	public void cast(ControlMessage command) {
		publish(command, Duration.ZERO);
	}

	@Override
	public List<Map<String, @Nullable Object>> call(ControlMessage command, Duration timeout, int limit) {
		String ticket = UUID.randomUUID().toString();
		// a reply queue per call (kombu has one per process and sorts replies by ticket):
		// calls from several threads at once never take each other's replies
		String oid = UUID.randomUUID().toString();
		String replyQueue = oid + "." + replyExchange();
		BlockingQueue<byte[]> received = new LinkedBlockingQueue<>();
		Connection connection = this.connectionFactory.createConnection();
		Channel channel = connection.createChannel(false);
		try {
			channel.exchangeDeclare(replyExchange(), "direct", false, false, null);
			channel.queueDeclare(replyQueue, false, false, true, queueArguments());
			channel.queueBind(replyQueue, replyExchange(), oid);
			String consumerTag = channel.basicConsume(replyQueue, true, new DefaultConsumer(channel) {

				@Override
				public void handleDelivery(String tag, Envelope envelope, AMQP.BasicProperties properties,
						byte[] body) {
					Object replyTicket = (properties.getHeaders() != null) ? properties.getHeaders().get("ticket")
							: null;
					if (replyTicket == null || ticket.equals(replyTicket.toString())) {
						received.add(body);
					}
				}

			});
			publish(command.withReply(new ControlMessage.ReplyTo(replyExchange(), oid), ticket), timeout);
			List<Map<String, @Nullable Object>> replies = new ArrayList<>();
			long deadline = System.nanoTime() + timeout.toNanos();
			while (limit <= 0 || replies.size() < limit) {
				long left = deadline - System.nanoTime();
				if (left <= 0) {
					break;
				}
				byte[] body = received.poll(left, TimeUnit.NANOSECONDS);
				if (body == null) {
					break;
				}
				try {
					@SuppressWarnings("unchecked")
					Map<String, @Nullable Object> reply = this.mapper.readValue(body, LinkedHashMap.class);
					replies.add(reply);
				}
				catch (RuntimeException ex) {
					logger.warn("Ignoring a control reply that is not a JSON object: {}", ex.toString());
				}
			}
			channel.basicCancel(consumerTag);
			return replies;
		}
		catch (IOException ex) {
			throw new AmqpException("Could not broadcast control command " + command.method(), ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new AmqpException("Interrupted while collecting the replies to " + command.method(), ex);
		}
		finally {
			close(channel);
		}
	}

	private void publish(ControlMessage command, Duration timeout) {
		byte[] body = this.mapper.writeValueAsBytes(command.toMap());
		Map<String, Object> headers = new HashMap<>();
		headers.put("clock", 0);
		// kombu's absolute expiry in epoch seconds, 0 for none
		headers.put("expires", timeout.isZero() ? 0 : (System.currentTimeMillis() + timeout.toMillis()) / 1000.0);
		withChannel((channel) -> {
			channel.exchangeDeclare(exchange(), "fanout", false, false, null);
			channel.basicPublish(exchange(), "", properties(headers), body);
		});
	}

	private void declareMailbox(Channel channel, String queue) throws IOException {
		channel.exchangeDeclare(exchange(), "fanout", false, false, null);
		channel.queueDeclare(queue, false, false, true, queueArguments());
		channel.queueBind(queue, exchange(), "");
	}

	private Map<String, Object> queueArguments() {
		Map<String, Object> arguments = new HashMap<>();
		arguments.put("x-expires", (int) this.queueExpires.toMillis());
		arguments.put("x-message-ttl", (int) this.queueTtl.toMillis());
		return arguments;
	}

	private static AMQP.BasicProperties properties(Map<String, Object> headers) {
		return new AMQP.BasicProperties.Builder().contentType(JSON)
			.contentEncoding("utf-8")
			.deliveryMode(1)
			.headers(headers)
			.build();
	}

	private void withChannel(ChannelCallback callback) {
		Connection connection = this.connectionFactory.createConnection();
		Channel channel = connection.createChannel(false);
		try {
			callback.run(channel);
		}
		catch (IOException ex) {
			throw new AmqpException("Control mailbox operation failed on " + exchange(), ex);
		}
		finally {
			close(channel);
		}
	}

	private static void close(Channel channel) {
		try {
			channel.close();
		}
		catch (IOException | java.util.concurrent.TimeoutException | RuntimeException ex) {
			// already closed
		}
	}

	@FunctionalInterface
	private interface ChannelCallback {

		void run(Channel channel) throws IOException;

	}

}
