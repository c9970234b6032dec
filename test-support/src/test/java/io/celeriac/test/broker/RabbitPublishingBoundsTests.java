package io.celeriac.test.broker;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;
import io.celeriac.broker.Broker;
import io.celeriac.broker.PublishFailedException;
import io.celeriac.broker.PublishTimeoutException;
import io.celeriac.broker.rabbit.RabbitBroker;
import io.celeriac.protocol.WireMessage;
import io.celeriac.test.resource.OwnedResources;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The bounds of publishing to RabbitMQ through a connection that stops being read: the
 * shared node on 5672, reached through a {@link StallingProxy} that stops reading what
 * the client writes, as RabbitMQ does when it blocks a connection after the publisher
 * checked it was not blocked, or as a connection whose peer went away looks.
 *
 * @author Celeriac team
 */
class RabbitPublishingBoundsTests {

	private static final Duration CONFIRM_TIMEOUT = Duration.ofSeconds(2);

	private static final Duration MARGIN = Duration.ofSeconds(1);

	/**
	 * Larger than the client's socket send buffer (at most 4 MiB on Linux by default) and
	 * the proxy's receive buffer together, so that its write cannot end while nothing is
	 * read.
	 */
	private static final int LARGE = 12 * 1024 * 1024;

	private final OwnedResources resources = new OwnedResources();

	@AfterEach
	void closeResources() throws Exception {
		this.resources.close();
	}

	@Test
	void aPublishWhoseWriteIsNotReadFailsWithinTheConfirmTimeoutAndPublishingResumesOnceItIsRead() throws Exception {
		StallingProxy proxy = own(new StallingProxy(5672));
		RabbitBroker broker = broker(proxy);
		// every lane has its channel open before the connection stalls
		for (int i = 0; i < 4; i++) {
			broker.publishConfirmed(Broker.DEFAULT_EXCHANGE, "celeriac-nowhere", message(16), CONFIRM_TIMEOUT);
		}

		proxy.stallUpstream(true);
		Duration bound = CONFIRM_TIMEOUT.plus(MARGIN);
		Call large;
		Call small;
		Throwable largeFailure;
		Throwable smallFailure;
		try {
			large = call(() -> broker.publishConfirmed(Broker.DEFAULT_EXCHANGE, "celeriac-nowhere", message(LARGE),
					Duration.ofMinutes(1)));
			largeFailure = large.failure(bound);
			small = call(() -> broker.publishConfirmed(Broker.DEFAULT_EXCHANGE, "celeriac-nowhere", message(16),
					Duration.ofMinutes(1)));
			smallFailure = small.failure(bound);
		}
		finally {
			proxy.stallUpstream(false);
		}

		System.out.printf("Publishing into a connection not read: %d ms and %d ms (confirm timeout %d ms)%n",
				large.millis(), small.millis(), CONFIRM_TIMEOUT.toMillis());
		assertThat(largeFailure).as(String.valueOf(largeFailure)).isInstanceOf(PublishTimeoutException.class);
		assertThat(smallFailure).isInstanceOf(PublishFailedException.class);
		// the large message's write went on, and RabbitMQ confirms it once it reads again
		((PublishTimeoutException) largeFailure).confirmation().get(30, TimeUnit.SECONDS);
		await().atMost(Duration.ofSeconds(30))
			.ignoreExceptions()
			.untilAsserted(() -> broker.publishConfirmed(Broker.DEFAULT_EXCHANGE, "celeriac-nowhere", message(16),
					CONFIRM_TIMEOUT));
	}

	@Test
	void messagesHandedToAChannelBehindAWriteThatHangsAreNotWrittenOnceTheirDeadlinePassed() throws Exception {
		String queue = "celeriac-bounds-" + UUID.randomUUID();
		ConnectionFactory direct = new ConnectionFactory();
		direct.setHost("127.0.0.1");
		direct.setPort(5672);
		Connection connection = direct.newConnection();
		this.resources.add(connection::close);
		Channel channel = connection.createChannel();
		channel.queueDeclare(queue, false, false, false, null);
		this.resources.add(() -> channel.queueDelete(queue));
		StallingProxy proxy = own(new StallingProxy(5672));
		RabbitBroker broker = broker(proxy);
		// the four channels are open and taken in turn: the large message goes to the
		// first, the small ones to the others and then behind the earlier ones, 4 and 8
		// behind the large message
		for (int i = 0; i < 4; i++) {
			broker.publishConfirmed(Broker.DEFAULT_EXCHANGE, "celeriac-nowhere", message(16), CONFIRM_TIMEOUT);
		}

		proxy.stallUpstream(true);
		Map<String, CompletableFuture<Void>> answers = new LinkedHashMap<>();
		try {
			answers.put("large", broker.publish(Broker.DEFAULT_EXCHANGE, queue, message(LARGE, "large")));
			for (int i = 1; i <= 8; i++) {
				answers.put("small-" + i, broker.publish(Broker.DEFAULT_EXCHANGE, queue, message(16, "small-" + i)));
			}
			// the callers behind the large message are told at their deadline; a small
			// message on another channel may have passed the proxy before it stalled
			for (String behind : List.of("large", "small-4", "small-8")) {
				assertThat(answers.get(behind)).failsWithin(CONFIRM_TIMEOUT.plus(MARGIN))
					.withThrowableOfType(ExecutionException.class)
					.havingCause()
					.isInstanceOf(PublishTimeoutException.class);
			}
			for (CompletableFuture<Void> answer : answers.values()) {
				// every caller is answered by its deadline, one way or the other
				assertThat(answer.handle((done, failure) -> true)).succeedsWithin(CONFIRM_TIMEOUT.plus(MARGIN));
			}
		}
		finally {
			proxy.stallUpstream(false);
		}

		Map<String, Boolean> written = new LinkedHashMap<>();
		answers.forEach((id, answer) -> written.put(id, writtenInTheEnd(answer)));
		// the two behind the large message on its channel began after their deadline;
		// on the other channels a write began at once unless one before it there hung
		assertThat(written).containsEntry("large", true)
			.containsEntry("small-1", true)
			.containsEntry("small-4", false)
			.containsEntry("small-8", false);
		List<String> queued = new ArrayList<>();
		GetResponse response;
		while ((response = channel.basicGet(queue, true)) != null) {
			queued.add(response.getProps().getCorrelationId());
		}
		assertThat(queued).containsExactlyInAnyOrderElementsOf(
				written.entrySet().stream().filter(Map.Entry::getValue).map(Map.Entry::getKey).toList());
	}

	/**
	 * Waits for the broker's late answer for a message whose caller timed out: whether it
	 * was written and confirmed after all, or never written.
	 */
	private static boolean writtenInTheEnd(CompletableFuture<Void> answer) {
		Throwable failure = answer.handle((done, ex) -> ex).join();
		if (failure == null) {
			return true;
		}
		PublishTimeoutException timeout = (PublishTimeoutException) failure.getCause();
		try {
			timeout.confirmation().get(30, TimeUnit.SECONDS);
			return true;
		}
		catch (ExecutionException ex) {
			assertThat(ex.getCause()).isInstanceOf(PublishFailedException.class)
				.hasMessageContaining("was not written within");
			return false;
		}
		catch (InterruptedException | TimeoutException ex) {
			throw new AssertionError("no late answer for the message within 30 s", ex);
		}
	}

	private RabbitBroker broker(StallingProxy proxy) {
		CachingConnectionFactory connections = new CachingConnectionFactory("127.0.0.1", proxy.port());
		connections.setUsername("guest");
		connections.setPassword("guest");
		this.resources.add(connections::destroy);
		RabbitBroker broker = new RabbitBroker(connections, CONFIRM_TIMEOUT);
		this.resources.add(broker::destroy);
		return broker;
	}

	private static WireMessage message(int size) {
		return message(size, "bounds");
	}

	private static WireMessage message(int size, String correlationId) {
		byte[] body = new byte[size];
		java.util.Arrays.fill(body, (byte) 'x');
		return new WireMessage(body, "text/plain", StandardCharsets.UTF_8.name(), Map.of(), correlationId, null, 0,
				false, null);
	}

	private <T extends AutoCloseable> T own(T resource) {
		return this.resources.own(resource);
	}

	/**
	 * Runs a publish on a thread of its own, so that a publish that hangs is seen to
	 * hang.
	 */
	private static Call call(Runnable publish) {
		long start = System.nanoTime();
		CompletableFuture<Ended> ended = new CompletableFuture<>();
		Thread thread = new Thread(() -> {
			try {
				publish.run();
				ended.complete(new Ended(System.nanoTime(), null));
			}
			catch (Throwable ex) {
				ended.complete(new Ended(System.nanoTime(), ex));
			}
		}, "bounds-publish");
		thread.setDaemon(true);
		thread.start();
		return new Call(start, ended);
	}

	private record Ended(long at, @Nullable Throwable failure) {

	}

	private record Call(long start, CompletableFuture<Ended> ended) {

		/**
		 * Waits for the publish, at most the bound from its start.
		 * @return how it failed
		 */
		Throwable failure(Duration bound) throws Exception {
			long remaining = this.start + bound.toNanos() - System.nanoTime();
			Ended end;
			try {
				end = this.ended.get(Math.max(0, remaining), TimeUnit.NANOSECONDS);
			}
			catch (TimeoutException ex) {
				throw new AssertionError("the publish did not end within " + bound + " of its start");
			}
			if (end.failure() == null) {
				throw new AssertionError("the publish succeeded after " + millis() + " ms, though nothing was read");
			}
			return end.failure();
		}

		long millis() {
			return TimeUnit.NANOSECONDS.toMillis(this.ended.join().at() - this.start);
		}

	}

}
