package io.celeriac.broker;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * The deliveries a subscription has received and not settled yet, and the threads
 * handling them. A broker without acknowledgements of its own (Redis, SQS) keeps them
 * here so that a heartbeat can extend their visibility, and so that stopping can wait for
 * the running handlers, then give every delivery back before it interrupts the handlers'
 * threads: what an interrupted handler settles afterwards is ignored, and another worker
 * runs the task at once.
 *
 * @param <D> the broker's delivery type
 * @author Celeriac team
 */
public final class DeliveriesInHand<D extends Delivery> {

	private final Set<D> held = ConcurrentHashMap.newKeySet();

	private final Map<D, Thread> handlers = new ConcurrentHashMap<>();

	/**
	 * Holds deliveries received in one batch that wait for a handler.
	 * @param deliveries the deliveries
	 */
	public void hold(Collection<D> deliveries) {
		this.held.addAll(deliveries);
	}

	/**
	 * Holds a delivery that the current thread is about to handle. Call it before
	 * checking whether the subscription still runs, so that a stop either waits for the
	 * handler or is seen by it.
	 * @param delivery the delivery
	 */
	public void handle(D delivery) {
		this.held.add(delivery);
		this.handlers.put(delivery, Thread.currentThread());
	}

	/**
	 * Lets go of a delivery that was settled or given back.
	 * @param delivery the delivery
	 */
	public void release(D delivery) {
		this.held.remove(delivery);
		this.handlers.remove(delivery);
		synchronized (this.handlers) {
			this.handlers.notifyAll();
		}
	}

	/**
	 * Tells that the handler of a delivery returned: if it settled the delivery, lets go
	 * of it; otherwise keeps holding it (a worker acknowledges a delivery once the task's
	 * outcome is recorded, after its handler returned), so that the heartbeat goes on
	 * extending its visibility, without waiting for it when stopping.
	 * @param delivery the delivery
	 * @param settled whether it was settled
	 */
	public void handled(D delivery, boolean settled) {
		if (settled) {
			release(delivery);
			return;
		}
		this.handlers.remove(delivery);
		synchronized (this.handlers) {
			this.handlers.notifyAll();
		}
	}

	/**
	 * Lets go of the held deliveries that were settled since their handler returned.
	 * @param settled tells whether a delivery was settled
	 */
	public void releaseSettled(Predicate<D> settled) {
		this.held.removeIf((delivery) -> !this.handlers.containsKey(delivery) && settled.test(delivery));
	}

	/**
	 * Lets go of deliveries that were settled or given back.
	 * @param deliveries the deliveries
	 */
	public void release(Collection<D> deliveries) {
		deliveries.forEach(this::release);
	}

	/**
	 * Returns the deliveries held now, handled or waiting.
	 * @return a copy of them
	 */
	public List<D> held() {
		return List.copyOf(this.held);
	}

	/**
	 * Returns how many deliveries are being handled now.
	 * @return the number of running handlers
	 */
	public int handling() {
		return this.handlers.size();
	}

	/**
	 * Waits until no delivery is being handled, or until the deadline.
	 * @param deadline the deadline, in {@link System#nanoTime()} terms
	 * @return whether every handler finished
	 */
	public boolean awaitHandlers(long deadline) {
		synchronized (this.handlers) {
			long remaining;
			while (!this.handlers.isEmpty() && (remaining = deadline - System.nanoTime()) > 0) {
				try {
					TimeUnit.NANOSECONDS.timedWait(this.handlers, remaining);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					break;
				}
			}
			return this.handlers.isEmpty();
		}
	}

	/**
	 * Interrupts the threads handling deliveries; give the deliveries back first.
	 */
	public void interruptHandlers() {
		this.handlers.values().forEach(Thread::interrupt);
	}

}
