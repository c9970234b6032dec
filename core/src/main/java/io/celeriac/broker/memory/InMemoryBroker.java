package io.celeriac.broker.memory;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import io.celeriac.broker.Broker;
import io.celeriac.broker.ConsumerSettings;
import io.celeriac.broker.DelayedMessageCounter;
import io.celeriac.broker.Delivery;
import io.celeriac.broker.DeliveryHandler;
import io.celeriac.broker.QueueStats;
import io.celeriac.broker.Subscription;
import io.celeriac.broker.TopicPattern;
import io.celeriac.protocol.WireMessage;
import io.celeriac.topology.Topology;
import org.jspecify.annotations.Nullable;

/**
 * A broker inside one JVM with RabbitMQ's semantics where Celeriac relies on them: topic
 * routing, the default exchange, per-message TTL, and deliveries that stay with the
 * broker until acknowledged and return to the queue when rejected or when their consumer
 * stops. Nothing survives the JVM.
 *
 * @author Celeriac team
 */
public class InMemoryBroker implements Broker {

	private final Map<String, MemoryQueue> queues = new ConcurrentHashMap<>();

	private final Map<String, List<Binding>> exchanges = new ConcurrentHashMap<>();

	private final AtomicInteger subscriptions = new AtomicInteger();

	private final DelayedMessageCounter delayed;

	/**
	 * Creates a broker that reports no delayed messages.
	 */
	public InMemoryBroker() {
		this(DelayedMessageCounter.NONE);
	}

	/**
	 * Creates a broker that reports the delayed tasks of each queue.
	 * @param delayed counts the delayed tasks waiting to return to each queue (the
	 * delayed task store)
	 */
	public InMemoryBroker(DelayedMessageCounter delayed) {
		this.delayed = delayed;
	}

	@Override
	public void declare(Topology topology) {
		List<Binding> bindings = this.exchanges.computeIfAbsent(topology.exchange(),
				(name) -> new CopyOnWriteArrayList<>());
		for (Topology.QueueBinding binding : topology.bindings()) {
			declareQueue(binding.queue());
			Binding candidate = new Binding(binding.queue(), binding.routingKey(),
					TopicPattern.forExchange(topology.exchangeType(), binding.routingKey()));
			synchronized (bindings) {
				if (bindings.stream()
					.noneMatch((existing) -> existing.queue().equals(candidate.queue())
							&& existing.routingKey().equals(candidate.routingKey()))) {
					bindings.add(candidate);
				}
			}
		}
		topology.errorQueueNames().forEach(this::declareQueue);
	}

	/**
	 * Declares a queue that no exchange but the default one routes to.
	 * @param name the queue's name
	 */
	public void declareQueue(String name) {
		this.queues.computeIfAbsent(name, MemoryQueue::new);
	}

	/**
	 * Deletes a queue and the messages in it.
	 * @param name the queue's name
	 */
	public void deleteQueue(String name) {
		this.queues.remove(name);
		this.exchanges.values().forEach((bindings) -> bindings.removeIf((binding) -> binding.queue().equals(name)));
	}

	@Override
	public CompletableFuture<Void> publish(String exchange, String routingKey, WireMessage message) {
		if (exchange.equals(DEFAULT_EXCHANGE)) {
			MemoryQueue queue = this.queues.get(routingKey);
			if (queue != null) {
				queue.offer(routingKey, message);
			}
			return CompletableFuture.completedFuture(null);
		}
		List<Binding> bindings = this.exchanges.get(exchange);
		if (bindings == null) {
			return CompletableFuture
				.failedFuture(new io.celeriac.broker.PublishFailedException("No exchange '" + exchange + "'"));
		}
		Set<String> targets = new java.util.LinkedHashSet<>();
		for (Binding binding : bindings) {
			if (binding.pattern().matches(routingKey)) {
				targets.add(binding.queue());
			}
		}
		for (String target : targets) {
			MemoryQueue queue = this.queues.get(target);
			if (queue != null) {
				queue.offer(routingKey, message);
			}
		}
		return CompletableFuture.completedFuture(null);
	}

	@Override
	public Subscription consume(String queue, ConsumerSettings settings, DeliveryHandler handler) {
		MemoryQueue target = this.queues.get(queue);
		if (target == null) {
			throw new IllegalArgumentException("No queue '" + queue + "' to consume");
		}
		return new MemorySubscription(target, settings, handler, this.subscriptions.incrementAndGet());
	}

	@Override
	public @Nullable Delivery get(String queue) {
		MemoryQueue target = this.queues.get(queue);
		return (target != null) ? target.poll() : null;
	}

	@Override
	public boolean queueExists(String queue) {
		return this.queues.containsKey(queue);
	}

	@Override
	public long messageCount(String queue) {
		MemoryQueue target = this.queues.get(queue);
		return (target != null) ? target.size() : 0;
	}

	@Override
	public long purge(String queue) {
		MemoryQueue target = this.queues.get(queue);
		return (target != null) ? target.purge() : 0;
	}

	@Override
	public QueueStats stats(String queue) {
		MemoryQueue target = this.queues.get(queue);
		return (target != null) ? new QueueStats(target.size(), target.unsettled(), this.delayed.countDelayed(queue))
				: QueueStats.EMPTY;
	}

	private record Binding(String queue, String routingKey, TopicPattern pattern) {

	}

	static final class MemorySubscription implements Subscription {

		private final List<Thread> threads = new CopyOnWriteArrayList<>();

		private final Set<MemoryQueue.MemoryDelivery> inHand = ConcurrentHashMap.newKeySet();

		private volatile boolean running = true;

		MemorySubscription(MemoryQueue queue, ConsumerSettings settings, DeliveryHandler handler, int number) {
			for (int i = 0; i < settings.concurrency(); i++) {
				Thread thread = new Thread(() -> consume(queue, handler),
						"celeriac-memory-" + queue.name() + "-" + number + "-" + (i + 1));
				thread.setDaemon(true);
				this.threads.add(thread);
				thread.start();
			}
		}

		private void consume(MemoryQueue queue, DeliveryHandler handler) {
			while (this.running) {
				MemoryQueue.MemoryDelivery delivery;
				try {
					delivery = queue.take(Duration.ofMillis(50));
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					return;
				}
				if (delivery == null) {
					continue;
				}
				if (!this.running) {
					delivery.reject(true);
					return;
				}
				this.inHand.add(delivery);
				try {
					handler.handle(delivery);
				}
				catch (RuntimeException ex) {
					delivery.reject(true);
				}
				finally {
					// a delivery stays in hand until settled, also after its handler
					// returned
					// (the worker acknowledges once the outcome is written), so that
					// stop()
					// gives back what is not settled yet
					this.inHand.removeIf(MemoryQueue.MemoryDelivery::isSettled);
				}
			}
		}

		@Override
		public void stopTaking() {
			this.running = false;
		}

		@Override
		public void stop(Duration timeout) {
			this.running = false;
			long deadline = System.nanoTime() + timeout.toNanos();
			for (Thread thread : this.threads) {
				long left = Math.max(0, deadline - System.nanoTime());
				try {
					thread.join(Math.max(1, left / 1_000_000));
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					break;
				}
			}
			for (MemoryQueue.MemoryDelivery delivery : this.inHand) {
				delivery.reject(true);
			}
			this.threads.forEach(Thread::interrupt);
		}

		@Override
		public boolean isRunning() {
			return this.running;
		}

	}

}
