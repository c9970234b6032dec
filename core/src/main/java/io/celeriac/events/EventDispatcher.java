package io.celeriac.events;

import java.time.Instant;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * Builds and sends events as Celery 5.2.6's {@code EventDispatcher.send} does: each event
 * has its {@code type}, the sender's {@code hostname}, {@code timestamp} (seconds since
 * the epoch, a float), {@code utcoffset} (Celery's: hours west of UTC, rounded down),
 * {@code pid} and a {@code clock} from the process's {@link LamportClock}, then the
 * fields of its type.
 *
 * @author Celeriac team
 */
public class EventDispatcher {

	private final EventTransport transport;

	private final String hostname;

	private final LamportClock clock;

	private final long pid = ProcessHandle.current().pid();

	/**
	 * Creates a dispatcher.
	 * @param transport where events go
	 * @param hostname the sender's name: a worker's node name (e.g.
	 * {@code celeriac@host}), or {@code gen<pid>@<host>} for a producer, as Celery's
	 * {@code anon_nodename}
	 * @param clock the process's logical clock, shared by its dispatchers
	 */
	public EventDispatcher(EventTransport transport, String hostname, LamportClock clock) {
		this.transport = transport;
		this.hostname = hostname;
		this.clock = clock;
	}

	/**
	 * Sends an event of the given type with its fields, in the background.
	 * @param type the type, e.g. {@code task-started}
	 * @param fields the fields of the type (in order; a {@code null} value is sent as
	 * JSON {@code null})
	 * @return the event sent
	 */
	public CeleryEvent send(String type, Map<String, @Nullable Object> fields) {
		Map<String, @Nullable Object> event = new LinkedHashMap<>();
		event.put("hostname", this.hostname);
		event.put("utcoffset", utcoffset());
		event.put("pid", this.pid);
		event.put("clock", this.clock.forward());
		event.putAll(fields);
		event.put("timestamp", timestamp());
		event.put("type", type);
		CeleryEvent sent = new CeleryEvent(event);
		this.transport.send(sent);
		return sent;
	}

	/**
	 * Returns the name events are sent under.
	 * @return the host name
	 */
	public String hostname() {
		return this.hostname;
	}

	/**
	 * Returns the logical clock.
	 * @return the clock
	 */
	public LamportClock clock() {
		return this.clock;
	}

	/**
	 * Returns the transport.
	 * @return the transport
	 */
	public EventTransport transport() {
		return this.transport;
	}

	static double timestamp() {
		Instant now = Instant.now();
		return now.getEpochSecond() + now.getNano() / 1e9;
	}

	/**
	 * Celery's {@code utcoffset()}: {@code time.timezone // 3600}, the local zone's
	 * offset west of UTC in whole hours, rounded down (so +05:30 is -6).
	 */
	static int utcoffset() {
		int east = ZoneId.systemDefault().getRules().getOffset(Instant.now()).getTotalSeconds();
		return Math.floorDiv(-east, 3600);
	}

}
