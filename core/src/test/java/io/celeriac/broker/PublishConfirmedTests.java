package io.celeriac.broker;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

import io.celeriac.broker.memory.InMemoryBroker;
import io.celeriac.protocol.WireMessage;
import io.celeriac.topology.QueueType;
import io.celeriac.topology.Topology;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link Broker#publishConfirmed} and {@link Broker#awaitConfirmations}: the
 * one publish-and-await-the-confirmation every caller that must know the outcome uses.
 *
 * @author Celeriac team
 */
class PublishConfirmedTests {

	private static final WireMessage MESSAGE = new WireMessage("{}".getBytes(StandardCharsets.UTF_8),
			"application/json", "utf-8", Map.of(), "id-1", null, 0, true, null);

	@Test
	void returnsOnceTheBrokerConfirmedAndTheMessageIsInItsQueue() {
		InMemoryBroker broker = new InMemoryBroker();
		broker.declare(new Topology("tasks", "q-", null, java.util.Set.of("billing"), QueueType.CLASSIC, ".error"));
		broker.publishConfirmed("tasks", "billing", MESSAGE, Duration.ofSeconds(1));
		assertThat(broker.messageCount("q-billing")).isEqualTo(1);
	}

	@Test
	void aRefusedMessageFailsNamingTheMessageAndWhereItWent() {
		InMemoryBroker broker = new InMemoryBroker();
		assertThatExceptionOfType(PublishFailedException.class)
			.isThrownBy(() -> broker.publishConfirmed("missing", "billing.charge", MESSAGE, Duration.ofSeconds(1)))
			.withMessageContaining("id-1")
			.withMessageContaining("'missing'")
			.withMessageContaining("No exchange 'missing'");
	}

	@Test
	void aMessageNeverConfirmedFailsAfterTheTimeout() {
		CompletableFuture<Void> never = new CompletableFuture<>();
		Broker broker = answering(() -> never);
		long started = System.nanoTime();
		assertThatExceptionOfType(PublishFailedException.class)
			.isThrownBy(() -> broker.publishConfirmed("tasks", "billing", MESSAGE, Duration.ofMillis(200)))
			.withMessageContaining("did not confirm within PT0.2S");
		assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(200));
	}

	@Test
	void aBrokerThatThrowsInsteadOfFailingTheFutureFailsTheSameWay() {
		Broker broker = answering(() -> {
			throw new IllegalStateException("connection refused");
		});
		assertThat(broker.publishAsync("tasks", "billing", MESSAGE)).isCompletedExceptionally();
		assertThatExceptionOfType(PublishFailedException.class)
			.isThrownBy(() -> broker.publishConfirmed("tasks", "billing", MESSAGE, Duration.ofSeconds(1)))
			.withMessageContaining("connection refused")
			.withRootCauseInstanceOf(IllegalStateException.class);
	}

	@Test
	void anInterruptedWaitFailsAndKeepsTheInterrupt() {
		Broker broker = answering(CompletableFuture::new);
		Thread.currentThread().interrupt();
		try {
			assertThatExceptionOfType(PublishFailedException.class)
				.isThrownBy(() -> broker.publishConfirmed("tasks", "billing", MESSAGE, Duration.ofSeconds(10)))
				.withMessageContaining("Interrupted");
			assertThat(Thread.currentThread().isInterrupted()).isTrue();
		}
		finally {
			Thread.interrupted();
		}
	}

	@Test
	void severalMessagesFailWithTheFirstRefusal() {
		CompletableFuture<Void> refused = CompletableFuture.failedFuture(new PublishFailedException("nack"));
		assertThatExceptionOfType(PublishFailedException.class)
			.isThrownBy(() -> Broker.awaitConfirmations(List.of(CompletableFuture.completedFuture(null), refused),
					Duration.ofSeconds(1)))
			.withMessage("nack");
		Broker.awaitConfirmations(List.of(CompletableFuture.completedFuture(null)), Duration.ofSeconds(1));
	}

	/**
	 * An in-memory broker whose publish answers as told.
	 */
	private static Broker answering(Supplier<CompletableFuture<Void>> answer) {
		return new InMemoryBroker() {

			@Override
			public CompletableFuture<Void> publish(String exchange, String routingKey, WireMessage message) {
				return answer.get();
			}

		};
	}

}
