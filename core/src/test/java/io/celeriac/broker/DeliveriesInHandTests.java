package io.celeriac.broker;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import io.celeriac.protocol.WireMessage;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link DeliveriesInHand}.
 *
 * @author Celeriac team
 */
class DeliveriesInHandTests {

	private final DeliveriesInHand<Delivery> inHand = new DeliveriesInHand<>();

	@Test
	void heldDeliveriesAreThoseReceivedAndNotReleased() {
		Delivery waiting = new Received("a");
		Delivery handled = new Received("b");
		this.inHand.hold(List.of(waiting, handled));
		this.inHand.handle(handled);
		assertThat(this.inHand.held()).containsExactlyInAnyOrder(waiting, handled);
		assertThat(this.inHand.handling()).isOne();
		this.inHand.release(handled);
		assertThat(this.inHand.held()).containsExactly(waiting);
		assertThat(this.inHand.handling()).isZero();
		assertThat(this.inHand.awaitHandlers(System.nanoTime())).isTrue();
	}

	@Test
	void awaitingHandlersEndsWhenTheLastHandlerReleasesItsDelivery() throws InterruptedException {
		Delivery delivery = new Received("a");
		CountDownLatch handling = new CountDownLatch(1);
		CountDownLatch finish = new CountDownLatch(1);
		Thread handler = new Thread(() -> {
			this.inHand.handle(delivery);
			handling.countDown();
			await(finish);
			this.inHand.release(delivery);
		});
		handler.start();
		assertThat(handling.await(10, TimeUnit.SECONDS)).isTrue();
		assertThat(this.inHand.awaitHandlers(System.nanoTime() + Duration.ofMillis(50).toNanos())).isFalse();
		finish.countDown();
		assertThat(this.inHand.awaitHandlers(System.nanoTime() + Duration.ofSeconds(10).toNanos())).isTrue();
		handler.join(10_000);
	}

	@Test
	void interruptingHandlersInterruptsTheThreadsHandlingDeliveries() throws InterruptedException {
		Delivery delivery = new Received("a");
		CountDownLatch handling = new CountDownLatch(1);
		AtomicBoolean interrupted = new AtomicBoolean();
		Thread handler = new Thread(() -> {
			this.inHand.handle(delivery);
			handling.countDown();
			try {
				// a handler that only ends when interrupted
				new CountDownLatch(1).await();
			}
			catch (InterruptedException ex) {
				interrupted.set(true);
			}
			this.inHand.release(delivery);
		});
		handler.start();
		assertThat(handling.await(10, TimeUnit.SECONDS)).isTrue();
		this.inHand.interruptHandlers();
		assertThat(this.inHand.awaitHandlers(System.nanoTime() + Duration.ofSeconds(10).toNanos())).isTrue();
		handler.join(10_000);
		assertThat(interrupted).isTrue();
	}

	private static void await(CountDownLatch latch) {
		try {
			latch.await(10, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private record Received(String id) implements Delivery {

		@Override
		public WireMessage message() {
			throw new UnsupportedOperationException();
		}

		@Override
		public String queue() {
			return "queue";
		}

		@Override
		public String routingKey() {
			return "queue";
		}

		@Override
		public boolean redelivered() {
			return false;
		}

		@Override
		public void ack() {
		}

		@Override
		public void reject(boolean requeue) {
		}

		@Override
		public void touch(Duration extension) {
		}

	}

}
