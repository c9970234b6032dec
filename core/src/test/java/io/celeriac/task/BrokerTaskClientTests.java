package io.celeriac.task;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

import io.celeriac.broker.Delivery;
import io.celeriac.broker.memory.InMemoryBroker;
import io.celeriac.debounce.memory.InMemoryDebouncer;
import io.celeriac.execution.TaskLifecycleListener;
import io.celeriac.observation.ObservationTaskInterceptor;
import io.celeriac.observation.TaskProcessContext;
import io.celeriac.observation.TaskPublishContext;
import io.celeriac.protocol.CeleryProtocol;
import io.celeriac.protocol.CeleryTime;
import io.celeriac.protocol.TaskMessage;
import io.celeriac.protocol.WireMessage;
import io.celeriac.topology.FirstSegmentTaskRouter;
import io.celeriac.topology.QueueType;
import io.celeriac.topology.Topology;
import io.micrometer.common.KeyValue;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.transport.Kind;
import io.micrometer.observation.transport.ReceiverContext;
import io.micrometer.observation.transport.SenderContext;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link BrokerTaskClient}'s producer events and observations, on the in-memory
 * broker.
 *
 * @author Celeriac team
 */
class BrokerTaskClientTests {

	private final InMemoryBroker broker = new InMemoryBroker();

	private final Topology topology = new Topology("task_exchange", "test-", null, Set.of("reports"), QueueType.CLASSIC,
			".error");

	private final CeleryProtocol protocol = new CeleryProtocol(new JsonMapper());

	private final List<String> events = new CopyOnWriteArrayList<>();

	@BeforeEach
	void declare() {
		this.broker.declare(this.topology);
	}

	@Test
	void pushIsHeardOnceTheBrokerConfirmed() {
		TaskHandle<Object> handle = client(List.of(new RecordingListener())).send("reports.generate", List.of(1),
				Map.of(), TaskOptions.defaults());
		assertThat(this.events).containsExactly("push reports.generate " + handle.id() + " reports");
		assertThat(this.broker.messageCount("test-reports")).isOne();
	}

	@Test
	void debounceDelayedAndSkippedAreHeard() {
		BrokerTaskClient client = client(List.of(new RecordingListener()));
		TaskOptions debounced = TaskOptions.defaults().withDebounce(Duration.ofMinutes(1), false);
		TaskHandle<Object> now = client.send("reports.generate", List.of(7), Map.of(), debounced);
		TaskHandle<Object> delayed = client.send("reports.generate", List.of(7), Map.of(), debounced);
		client.send("reports.generate", List.of(7), Map.of(), debounced);
		assertThat(this.events).hasSize(4);
		assertThat(this.events.get(0)).isEqualTo("push reports.generate " + now.id() + " reports");
		assertThat(this.events.get(1)).startsWith("debounce-delayed reports.generate " + delayed.id() + " PT");
		assertThat(this.events.get(2)).isEqualTo("push reports.generate " + delayed.id() + " reports");
		assertThat(this.events.get(3)).isEqualTo("debounce-skipped reports.generate [7] {}");
		assertThat(this.broker.messageCount("test-reports")).isEqualTo(2);
	}

	@Test
	void aDebounceDecisionIsUndoneWhenItsPublishFails() {
		AtomicBoolean refuse = new AtomicBoolean(true);
		InMemoryBroker refusing = new InMemoryBroker() {

			@Override
			public CompletableFuture<Void> publish(String exchange, String routingKey, WireMessage message) {
				if (refuse.get()) {
					return CompletableFuture.failedFuture(new IllegalStateException("refused by the test"));
				}
				return super.publish(exchange, routingKey, message);
			}

		};
		refusing.declare(this.topology);
		BrokerTaskClient client = new BrokerTaskClient(refusing, this.topology, new FirstSegmentTaskRouter(),
				this.protocol, null, new InMemoryDebouncer());
		TaskOptions debounced = TaskOptions.defaults().withDebounce(Duration.ofMinutes(1), false);
		assertThatExceptionOfType(TaskPublishException.class)
			.isThrownBy(() -> client.send("reports.generate", List.of(7), Map.of(), debounced));
		refuse.set(false);
		// the failed call is forgotten: the next one runs now rather than being delayed
		TaskHandle<Object> next = client.send("reports.generate", List.of(7), Map.of(), debounced);
		assertThat(refusing.messageCount("test-reports")).isOne();
		Delivery delivery = refusing.get("test-reports");
		assertThat(delivery).isNotNull();
		TaskMessage sent = this.protocol.decode(delivery.message());
		assertThat(sent.id()).isEqualTo(next.id());
		assertThat(sent.headers().eta()).isNull();
	}

	@Test
	void aThrowingListenerLosesNoTask() {
		TaskLifecycleListener throwing = new TaskLifecycleListener() {

			@Override
			public void onPush(TaskMessage task, String routingKey) {
				throw new IllegalStateException("listener failure");
			}

			@Override
			public void onDebounceDelayed(TaskMessage task, Duration delay) {
				throw new IllegalStateException("listener failure");
			}

			@Override
			public void onDebounceSkipped(String taskName, List<?> args, Map<String, ?> kwargs) {
				throw new IllegalStateException("listener failure");
			}

		};
		BrokerTaskClient client = client(List.of(throwing, new RecordingListener()));
		TaskOptions debounced = TaskOptions.defaults().withDebounce(Duration.ofMinutes(1), false);
		TaskHandle<Object> first = client.send("reports.generate", List.of(1), Map.of(), debounced);
		TaskHandle<Object> second = client.send("reports.generate", List.of(1), Map.of(), debounced);
		client.send("reports.generate", List.of(1), Map.of(), debounced);
		assertThat(this.broker.messageCount("test-reports")).isEqualTo(2);
		assertThat(received()).extracting(TaskMessage::id).containsExactly(first.id(), second.id());
		assertThat(this.events).hasSize(4);
	}

	@Test
	void eachPublishIsAProducerObservationWhoseHeadersTravelInTheMessage() {
		ObservationRegistry registry = ObservationRegistry.create();
		RecordingHandler handler = new RecordingHandler();
		registry.observationConfig().observationHandler(handler);
		BrokerTaskClient client = new BrokerTaskClient(this.broker, this.topology, new FirstSegmentTaskRouter(),
				this.protocol, null, null, new TaskClientExtensions(List.of(), List.of(), registry, null));
		TaskHandle<Object> handle = client.send("reports.generate", List.of(1), Map.of(), TaskOptions.defaults());
		assertThat(handler.stopped).hasSize(1);
		TaskPublishContext context = (TaskPublishContext) handler.stopped.get(0);
		assertThat(context.getName()).isEqualTo("celeriac.task.publish");
		assertThat(context.getContextualName()).isEqualTo("reports.generate publish");
		assertThat(context.getKind()).isEqualTo(Kind.PRODUCER);
		assertThat(context.getLowCardinalityKeyValues()).extracting(KeyValue::getKey)
			.containsExactlyInAnyOrder("celeriac.task.name", "celeriac.task.routing-key");
		assertThat(context.getLowCardinalityKeyValue("celeriac.task.routing-key").getValue()).isEqualTo("reports");
		assertThat(context.getHighCardinalityKeyValue("celeriac.task.id").getValue()).isEqualTo(handle.id());
		TaskMessage sent = received().get(0);
		assertThat(sent.headers().extra()).containsEntry("traceparent", "written-by-the-handler");
	}

	@Test
	void theWorkersObservationReadsTheHeadersTheProducerWrote() throws Throwable {
		ObservationRegistry registry = ObservationRegistry.create();
		RecordingHandler handler = new RecordingHandler();
		registry.observationConfig().observationHandler(handler);
		BrokerTaskClient client = new BrokerTaskClient(this.broker, this.topology, new FirstSegmentTaskRouter(),
				this.protocol, null, null, new TaskClientExtensions(List.of(), List.of(), registry, null));
		client.send("reports.generate", List.of(1), Map.of(), TaskOptions.defaults());
		TaskMessage sent = received().get(0);
		Object result = new ObservationTaskInterceptor(registry).intercept(sent, () -> "ran");
		assertThat(result).isEqualTo("ran");
		TaskProcessContext context = (TaskProcessContext) handler.stopped.get(1);
		assertThat(context.getName()).isEqualTo("celeriac.task.process");
		assertThat(context.getKind()).isEqualTo(Kind.CONSUMER);
		assertThat(handler.extracted).containsExactly("written-by-the-handler");
		assertThat(context.getLowCardinalityKeyValues()).extracting(KeyValue::getKey)
			.containsExactly("celeriac.task.name");
	}

	@Test
	void aFailingRunIsRecordedAsTheObservationsError() {
		ObservationRegistry registry = ObservationRegistry.create();
		RecordingHandler handler = new RecordingHandler();
		registry.observationConfig().observationHandler(handler);
		BrokerTaskClient client = new BrokerTaskClient(this.broker, this.topology, new FirstSegmentTaskRouter(),
				this.protocol, null, null, TaskClientExtensions.none());
		client.send("reports.generate", List.of(1), Map.of(), TaskOptions.defaults());
		TaskMessage sent = received().get(0);
		assertThat(sent.headers().extra()).doesNotContainKey("traceparent");
		IllegalStateException failure = new IllegalStateException("task failure");
		try {
			new ObservationTaskInterceptor(registry).intercept(sent, () -> {
				throw failure;
			});
		}
		catch (Throwable ex) {
			assertThat(ex).isSameAs(failure);
		}
		assertThat(handler.stopped).singleElement()
			.satisfies((context) -> assertThat(context.getError()).isSameAs(failure));
		assertThat(handler.extracted).containsExactly((String) null);
	}

	/**
	 * Takes every message from the service queue.
	 */
	private List<TaskMessage> received() {
		List<TaskMessage> messages = new java.util.ArrayList<>();
		Delivery delivery;
		while ((delivery = this.broker.get("test-reports")) != null) {
			messages.add(this.protocol.decode(delivery.message()));
			delivery.ack();
		}
		return messages;
	}

	private BrokerTaskClient client(List<TaskLifecycleListener> listeners) {
		return new BrokerTaskClient(this.broker, this.topology, new FirstSegmentTaskRouter(), this.protocol, null,
				new InMemoryDebouncer(),
				new TaskClientExtensions(List.of(), listeners, ObservationRegistry.NOOP, null));
	}

	private final class RecordingListener implements TaskLifecycleListener {

		@Override
		public void onPush(TaskMessage task, String routingKey) {
			BrokerTaskClientTests.this.events.add("push " + task.task() + " " + task.id() + " " + routingKey);
		}

		@Override
		public void onDebounceDelayed(TaskMessage task, Duration delay) {
			assertThat(CeleryTime.parse(task.headers().eta())).isAfter(Instant.now());
			BrokerTaskClientTests.this.events.add("debounce-delayed " + task.task() + " " + task.id() + " " + delay);
		}

		@Override
		public void onDebounceSkipped(String taskName, List<?> args, Map<String, ?> kwargs) {
			BrokerTaskClientTests.this.events.add("debounce-skipped " + taskName + " " + args + " " + kwargs);
		}

	}

	/**
	 * Stands in for a tracing handler: writes a header on the producer and reads it on
	 * the worker, through the contexts' setter and getter.
	 */
	private static final class RecordingHandler implements ObservationHandler<Observation.Context> {

		private final List<Observation.Context> stopped = new CopyOnWriteArrayList<>();

		private final List<@Nullable String> extracted = new CopyOnWriteArrayList<>();

		@Override
		@SuppressWarnings("unchecked")
		public void onStart(Observation.Context context) {
			if (context instanceof TaskPublishContext publish) {
				SenderContext<Map<String, Object>> sender = publish;
				sender.getSetter().set(sender.getCarrier(), "traceparent", "written-by-the-handler");
			}
			if (context instanceof ReceiverContext<?> receiver) {
				ReceiverContext<Object> typed = (ReceiverContext<Object>) receiver;
				this.extracted.add(typed.getGetter().get(typed.getCarrier(), "traceparent"));
			}
		}

		@Override
		public void onStop(Observation.Context context) {
			this.stopped.add(context);
		}

		@Override
		public boolean supportsContext(Observation.Context context) {
			return true;
		}

	}

}
