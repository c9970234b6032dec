package io.celeriac.events;

import java.util.function.Consumer;

/**
 * Carries Celery event messages between processes, as Celery's {@code celeryev} exchange
 * does. Events are best-effort, as in Celery: {@link #send} never blocks and never fails
 * the task that caused the event; an event that cannot be delivered (the broker is down,
 * the buffer is full) is dropped and counted.
 *
 * @author Celeriac team
 */
public interface EventTransport {

	/**
	 * Sends an event to every subscriber, in the background. Returns at once.
	 * @param event the event
	 * @return {@code true} if the event was taken, {@code false} if it was dropped
	 * because the buffer is full or the transport is closed
	 */
	boolean send(CeleryEvent event);

	/**
	 * Receives every event sent on the transport from now on, from any process, until the
	 * subscription is closed (Celery's {@code EventReceiver} bound with {@code #}). The
	 * handler is called on a thread of the transport; one that throws is logged and the
	 * next event is delivered.
	 * @param handler called with each event
	 * @return the subscription
	 */
	EventSubscription subscribe(Consumer<CeleryEvent> handler);

	/**
	 * Returns how many events were dropped since the transport was created.
	 * @return the count
	 */
	long dropped();

}
