package io.celeriac.events.memory;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import io.celeriac.events.CeleryEvent;
import io.celeriac.events.EventSubscription;
import io.celeriac.events.EventTransport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Events within one process: each event is handed to every subscriber on the sender's
 * thread. For tests and the in-memory broker.
 *
 * @author Celeriac team
 */
public class InMemoryEventTransport implements EventTransport {

	private static final Logger logger = LoggerFactory.getLogger(InMemoryEventTransport.class);

	private final List<Consumer<CeleryEvent>> subscribers = new CopyOnWriteArrayList<>();

	@Override
	public boolean send(CeleryEvent event) {
		for (Consumer<CeleryEvent> subscriber : this.subscribers) {
			try {
				subscriber.accept(event);
			}
			catch (RuntimeException ex) {
				logger.warn("An event subscriber threw {}; the event goes to the others", ex.toString());
			}
		}
		return true;
	}

	@Override
	public EventSubscription subscribe(Consumer<CeleryEvent> handler) {
		Consumer<CeleryEvent> subscriber = handler::accept;
		this.subscribers.add(subscriber);
		return () -> this.subscribers.remove(subscriber);
	}

	@Override
	public long dropped() {
		return 0;
	}

}
