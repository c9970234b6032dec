package io.celeriac.benchmarks.rabbit;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import com.rabbitmq.client.impl.Frame;

/**
 * The raw RabbitMQ ceiling for the task benchmark: one producer publishes N persistent
 * messages to a durable queue through a topic exchange with publisher confirms awaited
 * asynchronously in a window (not one round trip per message), then one consumer drains
 * them with manual acknowledgements, one per message, under a prefetch limit. Prints
 * messages per second for each phase.
 * <p>
 * Two message shapes, each measured in the same run: {@code celery}, a Celery 5.2.6 no-op
 * task message exactly as {@code send_task('reports.noop')} publishes it (AMQP
 * properties, the sixteen protocol v2 headers, the 77-byte body {@code [[], {}, {...}]});
 * and {@code flat}, a body of the same number of bytes (header table + body) with no
 * headers.
 * <p>
 * Arguments (all optional): {@code --uri amqp://guest:guest@127.0.0.1:5672/%2F},
 * {@code --messages 100000}, {@code --confirm-window 1000}, {@code --prefetch 250},
 * {@code --shapes celery,flat}, {@code --size BYTES} (flat body size),
 * {@code --warmup 20000} (an unreported round of each shape first),
 * {@code --monitor false} ({@code true} also routes every message to a second durable
 * queue bound with {@code #}, as Celeriac's monitor queue). The URI defaults to
 * {@code CELERIAC_TEST_RABBITMQ_URL} when set. The queue and exchange have unique names
 * and are deleted afterwards.
 *
 * @author Celeriac team
 */
public final class RawRabbitBaseline {

	private static final String EMBED = "{\"callbacks\": null, \"errbacks\": null, \"chain\": null, \"chord\": null}";

	private final ConnectionFactory factory;

	private final int confirmWindow;

	private final int prefetch;

	private final boolean monitorQueue;

	private final int consumers;

	/**
	 * Creates a baseline on a broker, e.g. to measure it in the same run as the task
	 * benchmark and report a ratio.
	 * @param factory the connection factory of the broker
	 * @param confirmWindow how many publishes may await their confirm at once
	 * @param prefetch the consumer's prefetch limit
	 */
	public RawRabbitBaseline(ConnectionFactory factory, int confirmWindow, int prefetch) {
		this(factory, confirmWindow, prefetch, false);
	}

	/**
	 * Creates a baseline on a broker that may also route every message to a second
	 * durable queue bound with {@code #}, as Celeriac's monitor queue is, so that the
	 * broker does the same work per publish as for Celeriac with the monitor queue on
	 * (the second queue is not consumed, as workers do not consume the monitor queue).
	 * @param factory the connection factory of the broker
	 * @param confirmWindow how many publishes may await their confirm at once
	 * @param prefetch the consumer's prefetch limit
	 * @param monitorQueue whether every message also goes to a monitor queue
	 */
	public RawRabbitBaseline(ConnectionFactory factory, int confirmWindow, int prefetch, boolean monitorQueue) {
		this(factory, confirmWindow, prefetch, monitorQueue, 1);
	}

	/**
	 * Creates a baseline whose drain phase runs several consumers, each on its own
	 * channel with the prefetch limit, as a worker with that concurrency consumes.
	 * @param factory the connection factory of the broker
	 * @param confirmWindow how many publishes may await their confirm at once
	 * @param prefetch each consumer's prefetch limit
	 * @param monitorQueue whether every message also goes to a monitor queue
	 * @param consumers how many consumers drain the queue
	 */
	public RawRabbitBaseline(ConnectionFactory factory, int confirmWindow, int prefetch, boolean monitorQueue,
			int consumers) {
		this.consumers = consumers;
		this.factory = factory;
		this.confirmWindow = confirmWindow;
		this.prefetch = prefetch;
		this.monitorQueue = monitorQueue;
	}

	public static void main(String[] args) throws Exception {
		Map<String, String> options = options(args);
		String uri = options.getOrDefault("uri",
				System.getenv().getOrDefault("CELERIAC_TEST_RABBITMQ_URL", "amqp://guest:guest@127.0.0.1:5672/%2F"));
		ConnectionFactory factory = new ConnectionFactory();
		factory.setUri(URI.create(uri));
		RawRabbitBaseline baseline = new RawRabbitBaseline(factory,
				Integer.parseInt(options.getOrDefault("confirm-window", "1000")),
				Integer.parseInt(options.getOrDefault("prefetch", "250")),
				Boolean.parseBoolean(options.getOrDefault("monitor", "false")),
				Integer.parseInt(options.getOrDefault("consumers", "1")));
		int messages = Integer.parseInt(options.getOrDefault("messages", "100000"));
		int warmup = Integer.parseInt(options.getOrDefault("warmup", "20000"));
		Shape celery = celeryNoOpShape();
		int flatSize = Integer.parseInt(options.getOrDefault("size", String.valueOf(celery.wireSize())));
		System.out.printf(Locale.ROOT,
				"Raw RabbitMQ baseline: %d messages, persistent, durable queue%s, confirm window %d, prefetch %d, "
						+ "ack per message, %d warm-up messages per shape first%n",
				messages, baseline.monitorQueue ? " and a monitor queue" : "", baseline.confirmWindow,
				baseline.prefetch, warmup);
		for (String name : options.getOrDefault("shapes", "celery,flat").split(",")) {
			Shape shape = switch (name) {
				case "celery" -> celery;
				case "flat" -> flatShape(flatSize);
				default -> throw new IllegalArgumentException("Unknown shape '" + name + "': celery or flat");
			};
			if (warmup > 0) {
				baseline.run(shape, warmup);
			}
			Throughput result = baseline.run(shape, messages);
			System.out.printf(Locale.ROOT, "%-6s (%s): publish %,.0f msg/s (%.2f s), drain %,.0f msg/s (%.2f s)%n",
					name, shape.description(), result.publishRate(), result.publishSeconds(), result.drainRate(),
					result.drainSeconds());
		}
	}

	/**
	 * Publishes and drains Celery no-op task messages (the same properties, headers and
	 * body as {@code send_task('reports.noop')}).
	 * @param messages how many
	 * @return the throughput of each phase
	 * @throws Exception if the broker fails or refuses messages
	 */
	public Throughput celeryNoOp(int messages) throws Exception {
		return run(celeryNoOpShape(), messages);
	}

	/**
	 * Publishes and drains messages with a body of the given size and no headers.
	 * @param size the body size in bytes
	 * @param messages how many
	 * @return the throughput of each phase
	 * @throws Exception if the broker fails or refuses messages
	 */
	public Throughput flat(int size, int messages) throws Exception {
		return run(flatShape(size), messages);
	}

	private Throughput run(Shape shape, int messages) throws Exception {
		String id = UUID.randomUUID().toString().substring(0, 8);
		String exchange = "celeriac-bench-" + id;
		String queue = "celeriac-bench-" + id + "-reports";
		String monitor = "celeriac-bench-" + id + "-monitor";
		try (Connection connection = this.factory.newConnection("celeriac-raw-baseline")) {
			Channel admin = connection.createChannel();
			admin.exchangeDeclare(exchange, "topic", true);
			admin.queueDeclare(queue, true, false, false, null);
			admin.queueBind(queue, exchange, "reports");
			if (this.monitorQueue) {
				admin.queueDeclare(monitor, true, false, false, null);
				admin.queueBind(monitor, exchange, "#");
			}
			try {
				long cpu = cpuNanos();
				long publishNanos = publish(connection, exchange, shape, messages);
				long publishCpu = cpuNanos() - cpu;
				cpu = cpuNanos();
				long drainNanos = drain(connection, queue, messages);
				return new Throughput(messages, publishNanos, drainNanos, publishCpu, cpuNanos() - cpu);
			}
			finally {
				admin.queueDelete(queue);
				if (this.monitorQueue) {
					admin.queueDelete(monitor);
				}
				admin.exchangeDelete(exchange);
			}
		}
	}

	private long publish(Connection connection, String exchange, Shape shape, int messages) throws Exception {
		Channel channel = connection.createChannel();
		channel.confirmSelect();
		Semaphore window = new Semaphore(this.confirmWindow);
		ConcurrentNavigableMap<Long, Boolean> outstanding = new ConcurrentSkipListMap<>();
		AtomicLong nacked = new AtomicLong();
		channel.addConfirmListener((tag, multiple) -> settle(outstanding, window, tag, multiple),
				(tag, multiple) -> nacked.addAndGet(settle(outstanding, window, tag, multiple)));
		long start = System.nanoTime();
		for (int i = 0; i < messages; i++) {
			window.acquire();
			outstanding.put(channel.getNextPublishSeqNo(), Boolean.TRUE);
			channel.basicPublish(exchange, "reports", shape.properties(), shape.body());
		}
		if (!window.tryAcquire(this.confirmWindow, 60, TimeUnit.SECONDS)) {
			throw new IllegalStateException(outstanding.size() + " publishes were not confirmed within 60 s");
		}
		long elapsed = System.nanoTime() - start;
		channel.close();
		if (nacked.get() > 0) {
			throw new IllegalStateException("The broker refused (nack) " + nacked.get() + " messages");
		}
		return elapsed;
	}

	private static int settle(ConcurrentNavigableMap<Long, Boolean> outstanding, Semaphore window, long tag,
			boolean multiple) {
		int settled;
		if (multiple) {
			ConcurrentNavigableMap<Long, Boolean> confirmed = outstanding.headMap(tag, true);
			settled = confirmed.size();
			confirmed.clear();
		}
		else {
			settled = (outstanding.remove(tag) != null) ? 1 : 0;
		}
		window.release(settled);
		return settled;
	}

	/**
	 * Drains the queue and returns the nanoseconds from the first delivery to the last
	 * acknowledgement.
	 */
	private long drain(Connection connection, String queue, int messages) throws Exception {
		List<Channel> channels = new ArrayList<>();
		for (int i = 0; i < this.consumers; i++) {
			Channel channel = connection.createChannel();
			channel.basicQos(this.prefetch);
			channels.add(channel);
		}
		CountDownLatch done = new CountDownLatch(messages);
		DrainClock clock = new DrainClock();
		for (Channel channel : channels) {
			channel.basicConsume(queue, false, new DefaultConsumer(channel) {

				@Override
				public void handleDelivery(String consumerTag, Envelope envelope, AMQP.BasicProperties properties,
						byte[] body) throws IOException {
					clock.delivered();
					getChannel().basicAck(envelope.getDeliveryTag(), false);
					done.countDown();
				}

			});
		}
		if (!done.await(Duration.ofMinutes(5).toSeconds(), TimeUnit.SECONDS)) {
			throw new IllegalStateException(done.getCount() + " messages were not consumed within 5 minutes");
		}
		long elapsed = clock.sinceFirstDelivery();
		for (Channel channel : channels) {
			channel.close();
		}
		return elapsed;
	}

	private static Shape celeryNoOpShape() throws IOException {
		String id = UUID.randomUUID().toString();
		Map<String, Object> headers = new LinkedHashMap<>();
		headers.put("lang", "py");
		headers.put("task", "reports.noop");
		headers.put("id", id);
		headers.put("shadow", null);
		headers.put("eta", null);
		headers.put("expires", null);
		headers.put("group", null);
		headers.put("group_index", null);
		headers.put("retries", 0);
		headers.put("timelimit", Arrays.asList(null, null));
		headers.put("root_id", id);
		headers.put("parent_id", null);
		headers.put("argsrepr", "()");
		headers.put("kwargsrepr", "{}");
		headers.put("origin", "gen26493@vm");
		headers.put("ignore_result", false);
		AMQP.BasicProperties properties = new AMQP.BasicProperties.Builder().contentType("application/json")
			.contentEncoding("utf-8")
			.deliveryMode(2)
			.priority(0)
			.correlationId(id)
			.replyTo(UUID.randomUUID().toString())
			.headers(headers)
			.build();
		byte[] body = ("[[], {}, " + EMBED + "]").getBytes(StandardCharsets.UTF_8);
		long headerBytes = Frame.tableSize(headers);
		return new Shape(properties, body, (int) headerBytes + body.length,
				"Celery no-op message: " + headerBytes + " B header table + " + body.length + " B body");
	}

	private static Shape flatShape(int size) {
		AMQP.BasicProperties properties = new AMQP.BasicProperties.Builder().contentType("application/octet-stream")
			.deliveryMode(2)
			.build();
		byte[] body = new byte[size];
		Arrays.fill(body, (byte) 'x');
		return new Shape(properties, body, size, size + " B body, no headers");
	}

	private static Map<String, String> options(String[] args) {
		Map<String, String> options = new LinkedHashMap<>();
		for (int i = 0; i < args.length; i++) {
			if (!args[i].startsWith("--") || i + 1 >= args.length) {
				throw new IllegalArgumentException("Expected --name value pairs, got: " + String.join(" ", args));
			}
			options.put(args[i].substring(2), args[++i]);
		}
		return options;
	}

	private record Shape(AMQP.BasicProperties properties, byte[] body, int wireSize, String description) {

	}

	/**
	 * Returns the CPU time of this process so far, on all its threads.
	 * @return the nanoseconds
	 */
	public static long cpuNanos() {
		return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
			.getProcessCpuTime();
	}

	/**
	 * What one measurement gave.
	 *
	 * @param messages how many messages were published and drained
	 * @param publishNanos from the first publish to the last confirm
	 * @param drainNanos from the first delivery to the last acknowledgement (what it took
	 * to open the consumers is left out on both sides)
	 * @param publishCpuNanos the CPU time this process spent publishing, on all its
	 * threads
	 * @param drainCpuNanos the CPU time this process spent draining, on all its threads
	 */
	public record Throughput(int messages, long publishNanos, long drainNanos, long publishCpuNanos,
			long drainCpuNanos) {

		/**
		 * Returns this process's CPU time per message published.
		 * @return the microseconds
		 */
		public double publishCpuMicros() {
			return this.publishCpuNanos / 1e3 / this.messages;
		}

		/**
		 * Returns this process's CPU time per message drained.
		 * @return the microseconds
		 */
		public double drainCpuMicros() {
			return this.drainCpuNanos / 1e3 / this.messages;
		}

		/**
		 * Returns the publish phase in seconds.
		 * @return the seconds
		 */
		public double publishSeconds() {
			return this.publishNanos / 1e9;
		}

		/**
		 * Returns the drain phase in seconds.
		 * @return the seconds
		 */
		public double drainSeconds() {
			return this.drainNanos / 1e9;
		}

		/**
		 * Returns the confirmed publishes per second.
		 * @return the rate
		 */
		public double publishRate() {
			return this.messages / publishSeconds();
		}

		/**
		 * Returns the acknowledged deliveries per second.
		 * @return the rate
		 */
		public double drainRate() {
			return this.messages / drainSeconds();
		}

	}

}
