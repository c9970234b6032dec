package io.celeriac.test.events;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import io.celeriac.events.CeleryEvent;
import io.celeriac.events.EventDispatcher;
import io.celeriac.events.EventSubscription;
import io.celeriac.events.EventTransport;
import io.celeriac.events.LamportClock;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The contract of an {@link EventTransport}: an event sent reaches every subscriber with
 * its fields and their JSON types, in the order sent; a subscriber that throws stops
 * neither the others nor the next events; a closed subscription receives nothing more.
 * Each transport's test extends it.
 *
 * @author Celeriac team
 */
public abstract class EventTransportContractTests {

	/**
	 * How long a test waits for an event.
	 */
	protected static final Duration WAIT = Duration.ofSeconds(20);

	private final List<EventSubscription> subscriptions = new CopyOnWriteArrayList<>();

	/**
	 * Returns the transport under test; every call within a test returns the same one.
	 * @return the transport
	 */
	protected abstract EventTransport transport();

	@AfterEach
	void closeSubscriptions() {
		this.subscriptions.forEach(EventSubscription::close);
	}

	@Test
	void anEventSentReachesEverySubscriberWithItsFields() {
		List<CeleryEvent> first = subscribe();
		List<CeleryEvent> second = subscribe();
		String id = UUID.randomUUID().toString();
		Map<String, @Nullable Object> fields = new LinkedHashMap<>();
		fields.put("uuid", id);
		fields.put("result", "5");
		fields.put("runtime", 0.25);
		fields.put("retries", 2);
		fields.put("eta", null);
		fields.put("loadavg", List.of(0.5, 0.25, 0.13));
		fields.put("expired", true);
		fields.put("type", "task-succeeded");
		assertThat(transport().send(new CeleryEvent(fields))).isTrue();
		for (List<CeleryEvent> received : List.of(first, second)) {
			await().atMost(WAIT).until(() -> received.stream().anyMatch((event) -> id.equals(event.taskId())));
			CeleryEvent event = received.stream().filter((each) -> id.equals(each.taskId())).findFirst().orElseThrow();
			assertThat(event.type()).isEqualTo("task-succeeded");
			assertThat(event.routingKey()).isEqualTo("task.succeeded");
			assertThat(event.get("result")).isEqualTo("5");
			assertThat(event.get("runtime")).isInstanceOf(Double.class).isEqualTo(0.25);
			assertThat(((Number) event.get("retries")).intValue()).isEqualTo(2);
			assertThat(event.fields()).containsKey("eta");
			assertThat(event.get("eta")).isNull();
			assertThat(event.get("loadavg")).isEqualTo(List.of(0.5, 0.25, 0.13));
			assertThat(event.get("expired")).isEqualTo(true);
		}
	}

	@Test
	void eventsFromOneSenderArriveInTheOrderSent() {
		List<CeleryEvent> received = subscribe();
		String id = UUID.randomUUID().toString();
		EventDispatcher dispatcher = new EventDispatcher(transport(), "order@test", new LamportClock());
		for (int i = 0; i < 50; i++) {
			dispatcher.send("task-progress", Map.of("uuid", id, "step", i));
		}
		await().atMost(WAIT).until(() -> ofTask(received, id).size() == 50);
		assertThat(ofTask(received, id)).extracting((event) -> ((Number) event.get("step")).intValue())
			.containsExactlyElementsOf(java.util.stream.IntStream.range(0, 50).boxed().toList());
		assertThat(ofTask(received, id)).extracting((event) -> ((Number) event.get("clock")).longValue())
			.isSorted()
			.doesNotHaveDuplicates();
	}

	@Test
	void theDispatcherAddsCelerysFieldsToEveryEvent() {
		List<CeleryEvent> received = subscribe();
		String id = UUID.randomUUID().toString();
		new EventDispatcher(transport(), "fields@test", new LamportClock()).send("task-started", Map.of("uuid", id));
		await().atMost(WAIT).until(() -> ofTask(received, id).size() == 1);
		CeleryEvent event = ofTask(received, id).get(0);
		assertThat(event.fields()).containsKeys("type", "hostname", "timestamp", "utcoffset", "pid", "clock", "uuid");
		assertThat(event.type()).isEqualTo("task-started");
		assertThat(event.hostname()).isEqualTo("fields@test");
		assertThat(((Number) event.get("pid")).longValue()).isEqualTo(ProcessHandle.current().pid());
		assertThat(event.get("utcoffset")).isInstanceOf(Integer.class);
		assertThat(((Number) event.get("clock")).longValue()).isEqualTo(1);
		assertThat(event.get("timestamp")).isInstanceOf(Double.class);
		double timestamp = (Double) event.get("timestamp");
		assertThat(Instant.ofEpochMilli((long) (timestamp * 1000))).isBetween(Instant.now().minusSeconds(60),
				Instant.now());
	}

	@Test
	void aSubscriberThatThrowsStopsNeitherTheOthersNorTheNextEvents() {
		List<CeleryEvent> throwing = new CopyOnWriteArrayList<>();
		this.subscriptions.add(transport().subscribe((event) -> {
			throwing.add(event);
			throw new IllegalStateException("a subscriber's failure");
		}));
		List<CeleryEvent> other = subscribe();
		String id = UUID.randomUUID().toString();
		EventDispatcher dispatcher = new EventDispatcher(transport(), "throwing@test", new LamportClock());
		dispatcher.send("task-received", Map.of("uuid", id));
		dispatcher.send("task-started", Map.of("uuid", id));
		await().atMost(WAIT).until(() -> ofTask(other, id).size() == 2 && ofTask(throwing, id).size() == 2);
	}

	@Test
	void aClosedSubscriptionReceivesNothingMore() {
		List<CeleryEvent> closed = new CopyOnWriteArrayList<>();
		EventSubscription subscription = transport().subscribe(closed::add);
		List<CeleryEvent> open = subscribe();
		String before = UUID.randomUUID().toString();
		EventDispatcher dispatcher = new EventDispatcher(transport(), "closed@test", new LamportClock());
		dispatcher.send("task-received", Map.of("uuid", before));
		await().atMost(WAIT).until(() -> ofTask(closed, before).size() == 1);
		subscription.close();
		String after = UUID.randomUUID().toString();
		dispatcher.send("task-received", Map.of("uuid", after));
		await().atMost(WAIT).until(() -> ofTask(open, after).size() == 1);
		assertThat(ofTask(closed, after)).isEmpty();
	}

	/**
	 * Subscribes, closing the subscription after the test.
	 * @return the events received, filled in as they come
	 */
	protected List<CeleryEvent> subscribe() {
		List<CeleryEvent> received = new CopyOnWriteArrayList<>();
		this.subscriptions.add(transport().subscribe(received::add));
		return received;
	}

	private static List<CeleryEvent> ofTask(List<CeleryEvent> events, String taskId) {
		return events.stream().filter((event) -> taskId.equals(event.taskId())).toList();
	}

}
