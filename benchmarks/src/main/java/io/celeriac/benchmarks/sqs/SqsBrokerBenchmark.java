package io.celeriac.benchmarks.sqs;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import io.celeriac.broker.ConsumerSettings;
import io.celeriac.broker.Subscription;
import io.celeriac.broker.sqs.SqsBroker;
import io.celeriac.protocol.WireMessage;
import io.celeriac.topology.QueueType;
import io.celeriac.topology.Topology;
import org.elasticmq.NodeAddress;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;

/**
 * Sends N no-op Celery-shaped tasks to one SQS queue and times draining them with
 * consumers that delete each one, on ElasticMQ started in this JVM (or the server of
 * {@code --endpoint}). Three ways in the same run, with the same message size, producer
 * threads and consumer threads:
 * <ul>
 * <li>raw AWS SDK, one call per message: {@code SendMessage}; {@code ReceiveMessage} of
 * up to ten and one {@code DeleteMessage} each (the baseline);</li>
 * <li>raw AWS SDK in batches of ten: {@code SendMessageBatch}; {@code ReceiveMessage} of
 * up to ten and one {@code DeleteMessageBatch} (the batching ceiling);</li>
 * <li>Celeriac's {@link SqsBroker}: {@code publish} on a topic exchange with one queue,
 * each producer waiting for its publish; {@code consume} with prefetch ten, acknowledging
 * each delivery.</li>
 * </ul>
 * Arguments (all optional): {@code --messages 20000}, {@code --warmup 2000},
 * {@code --producers 8}, {@code --consumers 4}, {@code --endpoint http://host:port}.
 *
 * @author Celeriac team
 */
public final class SqsBrokerBenchmark {

	private final SqsClient client;

	private final int producers;

	private final int consumers;

	private SqsBrokerBenchmark(SqsClient client, int producers, int consumers) {
		this.client = client;
		this.producers = producers;
		this.consumers = consumers;
	}

	public static void main(String[] args) throws Exception {
		Map<String, String> options = options(args);
		int messages = Integer.parseInt(options.getOrDefault("messages", "20000"));
		int warmup = Integer.parseInt(options.getOrDefault("warmup", "2000"));
		int producers = Integer.parseInt(options.getOrDefault("producers", "8"));
		int consumers = Integer.parseInt(options.getOrDefault("consumers", "4"));
		String endpoint = options.get("endpoint");
		SQSRestServer server = null;
		if (endpoint == null) {
			int port = freePort();
			server = SQSRestServerBuilder.withInterface("127.0.0.1")
				.withPort(port)
				.withServerAddress(new NodeAddress("http", "127.0.0.1", port, ""))
				.start();
			server.waitUntilStarted();
			endpoint = "http://127.0.0.1:" + port;
		}
		SqsClient client = SqsClient.builder()
			.endpointOverride(URI.create(endpoint))
			.region(Region.US_EAST_1)
			.credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("bench", "bench")))
			.build();
		try {
			SqsBrokerBenchmark benchmark = new SqsBrokerBenchmark(client, producers, consumers);
			WireMessage message = celeryShaped();
			System.out.printf(Locale.ROOT,
					"SQS broker on %s: %d no-op Celery-shaped tasks, %d warm-up first; %d producer threads, "
							+ "%d consumer threads%n",
					(server != null) ? "ElasticMQ in this JVM" : endpoint, messages, warmup, producers, consumers);
			benchmark.raw(warmup, message, false);
			Throughput raw = benchmark.raw(messages, message, false);
			benchmark.raw(warmup, message, true);
			Throughput rawBatched = benchmark.raw(messages, message, true);
			benchmark.broker(warmup, message);
			Throughput ours = benchmark.broker(messages, message);
			print("raw SDK, one call per message", raw);
			print("raw SDK, batches of ten", rawBatched);
			print("Celeriac SqsBroker", ours);
			System.out.printf(Locale.ROOT, "ratio to raw one-per-call: publish %.2f, drain %.2f%n",
					ours.publishRate() / raw.publishRate(), ours.drainRate() / raw.drainRate());
			System.out.printf(Locale.ROOT, "ratio to raw batches of ten: publish %.2f, drain %.2f%n",
					ours.publishRate() / rawBatched.publishRate(), ours.drainRate() / rawBatched.drainRate());
		}
		finally {
			client.close();
			if (server != null) {
				server.stopAndWait();
			}
		}
	}

	private Throughput broker(int messages, WireMessage message) throws Exception {
		SqsBroker broker = new SqsBroker(this.client, Duration.ofSeconds(30), Duration.ofSeconds(1), true);
		String prefix = "bench-" + UUID.randomUUID().toString().substring(0, 8) + "-";
		Topology topology = new Topology("bench", prefix, null, Set.of("bench"), QueueType.CLASSIC, ".error");
		broker.declare(topology);
		String queue = topology.queueName("bench");
		try {
			long publishNanos = inParallel(this.producers, messages, (count) -> {
				for (int i = 0; i < count; i++) {
					broker.publish(topology.exchange(), "bench", message).join();
				}
			});
			AtomicInteger drained = new AtomicInteger();
			long start = System.nanoTime();
			try (Subscription subscription = broker.consume(queue, new ConsumerSettings(this.consumers, 10),
					(delivery) -> {
						delivery.ack();
						drained.incrementAndGet();
					})) {
				awaitCount(drained, messages);
			}
			return new Throughput(messages, publishNanos, System.nanoTime() - start);
		}
		finally {
			for (String name : List.of(queue, topology.queueName("celery"))) {
				broker.deleteQueue(name);
				broker.deleteQueue(topology.errorQueueName(name));
			}
		}
	}

	private Throughput raw(int messages, WireMessage message, boolean batched) throws Exception {
		String name = "bench-raw-" + UUID.randomUUID().toString().substring(0, 8);
		String url = this.client.createQueue((request) -> request.queueName(name)).queueUrl();
		String body = kombuLikeBody(message);
		try {
			long publishNanos = inParallel(this.producers, messages, (count) -> {
				if (!batched) {
					for (int i = 0; i < count; i++) {
						this.client.sendMessage((request) -> request.queueUrl(url).messageBody(body));
					}
					return;
				}
				for (int from = 0; from < count; from += 10) {
					List<SendMessageBatchRequestEntry> entries = new ArrayList<>();
					for (int i = from; i < Math.min(count, from + 10); i++) {
						entries.add(SendMessageBatchRequestEntry.builder()
							.id(Integer.toString(i - from))
							.messageBody(body)
							.build());
					}
					this.client.sendMessageBatch((request) -> request.queueUrl(url).entries(entries));
				}
			});
			AtomicInteger drained = new AtomicInteger();
			AtomicBoolean running = new AtomicBoolean(true);
			List<Thread> threads = new ArrayList<>();
			long start = System.nanoTime();
			for (int c = 0; c < this.consumers; c++) {
				Thread thread = new Thread(() -> {
					while (running.get()) {
						List<Message> received = this.client
							.receiveMessage(
									(request) -> request.queueUrl(url).maxNumberOfMessages(10).waitTimeSeconds(1))
							.messages();
						if (received.isEmpty()) {
							continue;
						}
						if (batched) {
							List<DeleteMessageBatchRequestEntry> entries = new ArrayList<>();
							for (int i = 0; i < received.size(); i++) {
								entries.add(DeleteMessageBatchRequestEntry.builder()
									.id(Integer.toString(i))
									.receiptHandle(received.get(i).receiptHandle())
									.build());
							}
							this.client.deleteMessageBatch((request) -> request.queueUrl(url).entries(entries));
						}
						else {
							for (Message each : received) {
								this.client.deleteMessage(
										(request) -> request.queueUrl(url).receiptHandle(each.receiptHandle()));
							}
						}
						drained.addAndGet(received.size());
					}
				});
				threads.add(thread);
				thread.start();
			}
			awaitCount(drained, messages);
			long drainNanos = System.nanoTime() - start;
			running.set(false);
			for (Thread thread : threads) {
				thread.join();
			}
			return new Throughput(messages, publishNanos, drainNanos);
		}
		finally {
			this.client.deleteQueue((request) -> request.queueUrl(url));
		}
	}

	/**
	 * Runs the work split over the threads and returns how long it took.
	 */
	private static long inParallel(int threads, int total, Work work) throws InterruptedException {
		List<Thread> started = new ArrayList<>();
		long start = System.nanoTime();
		for (int t = 0; t < threads; t++) {
			int count = total / threads + ((t < total % threads) ? 1 : 0);
			Thread thread = new Thread(() -> work.run(count));
			started.add(thread);
			thread.start();
		}
		for (Thread thread : started) {
			thread.join();
		}
		return System.nanoTime() - start;
	}

	private static void awaitCount(AtomicInteger count, int expected) throws InterruptedException {
		long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
		while (count.get() < expected) {
			if (System.nanoTime() > deadline) {
				throw new IllegalStateException("Only " + count.get() + " of " + expected + " drained in 5 minutes");
			}
			TimeUnit.MILLISECONDS.sleep(1);
		}
	}

	private static int freePort() throws java.io.IOException {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
	}

	private static WireMessage celeryShaped() {
		String id = UUID.randomUUID().toString();
		Map<String, @Nullable Object> headers = new LinkedHashMap<>();
		headers.put("lang", "py");
		headers.put("task", "bench.noop");
		headers.put("id", id);
		headers.put("shadow", null);
		headers.put("eta", null);
		headers.put("expires", null);
		headers.put("group", null);
		headers.put("group_index", null);
		headers.put("retries", 0);
		headers.put("timelimit", java.util.Arrays.asList(null, null));
		headers.put("root_id", id);
		headers.put("parent_id", null);
		headers.put("argsrepr", "()");
		headers.put("kwargsrepr", "{}");
		headers.put("origin", "bench@localhost");
		headers.put("ignore_result", false);
		byte[] body = "[[], {}, {\"callbacks\": null, \"errbacks\": null, \"chain\": null, \"chord\": null}]"
			.getBytes(StandardCharsets.UTF_8);
		return new WireMessage(body, "application/json", "utf-8", headers, id, UUID.randomUUID().toString(), 0, true,
				null);
	}

	/**
	 * Kombu's SQS body for the message: base64 of its JSON envelope, about the size
	 * Celeriac sends.
	 */
	private static String kombuLikeBody(WireMessage message) {
		StringBuilder json = new StringBuilder("{\"body\": \"")
			.append(Base64.getEncoder().encodeToString(message.body()))
			.append("\", \"content-encoding\": \"utf-8\", \"content-type\": \"application/json\", \"headers\": {");
		message.headers()
			.forEach((name, value) -> json.append('"').append(name).append("\": \"").append(value).append("\", "));
		json.append("}, \"properties\": {\"correlation_id\": \"")
			.append(message.correlationId())
			.append("\", \"reply_to\": \"")
			.append(message.replyTo())
			.append("\", \"delivery_mode\": 2, \"priority\": 0, \"delivery_info\": {\"exchange\": \"bench\", ")
			.append("\"routing_key\": \"bench\"}, \"body_encoding\": \"base64\", \"delivery_tag\": \"")
			.append(UUID.randomUUID())
			.append("\"}}");
		return Base64.getEncoder().encodeToString(json.toString().getBytes(StandardCharsets.UTF_8));
	}

	private static void print(String what, Throughput throughput) {
		System.out.printf(Locale.ROOT, "%-32s publish %,8.0f msg/s (%.2f s), drain %,8.0f msg/s (%.2f s)%n", what,
				throughput.publishRate(), throughput.publishNanos() / 1e9, throughput.drainRate(),
				throughput.drainNanos() / 1e9);
	}

	private static Map<String, String> options(String[] args) {
		Map<String, String> options = new LinkedHashMap<>();
		for (int i = 0; i + 1 < args.length; i += 2) {
			if (!args[i].startsWith("--")) {
				throw new IllegalArgumentException("Expected --name value, got '" + args[i] + "'");
			}
			options.put(args[i].substring(2), args[i + 1]);
		}
		return options;
	}

	@FunctionalInterface
	private interface Work {

		void run(int count);

	}

	/**
	 * Messages and the time to publish and to drain them.
	 *
	 * @param messages how many
	 * @param publishNanos nanoseconds to publish them all
	 * @param drainNanos nanoseconds to drain them all
	 */
	record Throughput(int messages, long publishNanos, long drainNanos) {

		double publishRate() {
			return this.messages / (this.publishNanos / 1e9);
		}

		double drainRate() {
			return this.messages / (this.drainNanos / 1e9);
		}

	}

}
