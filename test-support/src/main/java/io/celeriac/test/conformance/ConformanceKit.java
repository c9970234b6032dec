package io.celeriac.test.conformance;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeoutException;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;
import io.celeriac.broker.Broker;
import io.celeriac.broker.Delivery;
import io.celeriac.broker.rabbit.RabbitBroker;
import io.celeriac.operations.MeteredBroker;
import io.celeriac.protocol.WireMessage;
import io.celeriac.result.ResultStore;
import io.celeriac.result.TaskResult;
import io.celeriac.result.TaskState;
import io.celeriac.task.TaskRegistry;
import io.celeriac.topology.ExchangeType;
import io.celeriac.topology.TaskRouter;
import io.celeriac.topology.Topology;
import org.jspecify.annotations.Nullable;

import org.springframework.amqp.rabbit.connection.AbstractConnectionFactory;
import org.springframework.context.ApplicationContext;

/**
 * Checks, against the live broker and result store, that an application conforms to the
 * shared task topology, as Cadasta's {@code build_functional_tests} does for a Celery
 * app: the exchange exists with the configured type (topic unless
 * {@code celeriac.topology.exchange-type} says otherwise); the monitor queue is bound
 * with {@code #}; each service queue is bound by its service name; every task of the
 * application routes to a declared service queue; a probe message reaches its service
 * queue and the monitor queue; the result store accepts a write. Probes are taken back
 * out of the queues. On RabbitMQ it reads the server's exchange and bindings; on SQS,
 * Redis and in memory, whose bindings live in the producer, it publishes the probes
 * through the application's {@link Broker}. Run it with the worker off
 * ({@code celeriac.worker.enabled=false}) and nothing else consuming the queues.
 *
 * <pre class="code">
 * &#64;SpringBootTest(properties = "celeriac.worker.enabled=false")
 * class ConformanceTests {
 *     &#64;Test
 *     void conformsToTheTopology(&#64;Autowired ApplicationContext context) {
 *         ConformanceKit.of(context).check().assertConforms();
 *     }
 * }
 * </pre>
 *
 * @author Celeriac team
 */
public final class ConformanceKit {

	private static final String PROBE_HEADER = "x-celeriac-conformance-probe";

	private static final Duration PROBE_WAIT = Duration.ofSeconds(10);

	private final Topology topology;

	private final TaskRegistry registry;

	private final TaskRouter router;

	private final @Nullable ResultStore results;

	private final @Nullable ConnectionFactory rabbit;

	private final @Nullable Broker broker;

	/**
	 * Creates a kit.
	 * @param topology the application's topology
	 * @param registry its tasks
	 * @param router how it routes them
	 * @param results its result store, or {@code null} if it has none
	 * @param rabbit connections to the application's RabbitMQ
	 */
	public ConformanceKit(Topology topology, TaskRegistry registry, TaskRouter router, @Nullable ResultStore results,
			ConnectionFactory rabbit) {
		this.topology = topology;
		this.registry = registry;
		this.router = router;
		this.results = results;
		this.rabbit = rabbit;
		this.broker = null;
	}

	/**
	 * Creates a kit that checks through the application's {@link Broker}, for brokers
	 * whose topology lives in the producer (SQS, Redis, in memory): the service and
	 * monitor queues exist, and probes published through the broker reach them as the
	 * configured exchange type routes.
	 * @param topology the application's topology
	 * @param registry its tasks
	 * @param router how it routes them
	 * @param results its result store, or {@code null} if it has none
	 * @param broker the application's broker, on which the topology was declared
	 */
	public ConformanceKit(Topology topology, TaskRegistry registry, TaskRouter router, @Nullable ResultStore results,
			Broker broker) {
		this.topology = topology;
		this.registry = registry;
		this.router = router;
		this.results = results;
		this.rabbit = null;
		this.broker = broker;
	}

	/**
	 * Creates a kit for a running application, from its beans.
	 * @param context the application context
	 * @return the kit
	 */
	public static ConformanceKit of(ApplicationContext context) {
		Broker broker = context.getBeanProvider(Broker.class).getIfAvailable();
		Broker unwrapped = (broker instanceof MeteredBroker metered) ? metered.delegate() : broker;
		if (broker != null && !(unwrapped instanceof RabbitBroker)) {
			return new ConformanceKit(context.getBean(Topology.class), context.getBean(TaskRegistry.class),
					context.getBean(TaskRouter.class), context.getBeanProvider(ResultStore.class).getIfAvailable(),
					broker);
		}
		ConnectionFactory rabbit = context.getBean(AbstractConnectionFactory.class).getRabbitConnectionFactory();
		return new ConformanceKit(context.getBean(Topology.class), context.getBean(TaskRegistry.class),
				context.getBean(TaskRouter.class), context.getBeanProvider(ResultStore.class).getIfAvailable(), rabbit);
	}

	/**
	 * Runs every check.
	 * @return the report
	 */
	public ConformanceReport check() {
		List<ConformanceCheck> checks = new ArrayList<>();
		Broker broker = this.broker;
		if (broker != null) {
			checks.addAll(checkThroughBroker(broker));
			checks.add(checkResultStore());
			return new ConformanceReport(checks);
		}
		ConnectionFactory rabbit = this.rabbit;
		if (rabbit == null) {
			throw new IllegalStateException("The kit has neither a broker nor a RabbitMQ connection factory");
		}
		try (Connection connection = rabbit.newConnection("celeriac-conformance")) {
			checks.add(checkExchange(connection));
			checks.addAll(checkRoutes(connection));
			checks.addAll(checkBindings(connection));
		}
		catch (IOException | TimeoutException ex) {
			checks.add(ConformanceCheck.failed("RabbitMQ connection", "cannot connect: " + ex.getMessage(),
					"check spring.rabbitmq.* (host, port, username, password, virtual-host)."));
		}
		checks.add(checkResultStore());
		return new ConformanceReport(checks);
	}

	private ConformanceCheck checkExchange(Connection connection) {
		String type = this.topology.exchangeType().amqpName();
		String name = "exchange '" + this.topology.exchange() + "' is a durable " + type + " exchange";
		try (Channel channel = connection.createChannel()) {
			channel.exchangeDeclarePassive(this.topology.exchange());
		}
		catch (IOException | TimeoutException ex) {
			return ConformanceCheck.failed(name, "it does not exist (" + reason(ex) + ").",
					"start the application once with the worker or producer on (it declares the topology), or "
							+ "check celeriac.topology.exchange.");
		}
		try (Channel channel = connection.createChannel()) {
			// declaring what exists is a no-op; a different type or durability is refused
			channel.exchangeDeclare(this.topology.exchange(), type, true);
		}
		catch (IOException | TimeoutException ex) {
			return ConformanceCheck.failed(name, "it exists with other settings (" + reason(ex) + ").",
					"delete the exchange so that it is declared again as a durable " + type + " exchange, or point "
							+ "celeriac.topology.exchange at the shared one (and celeriac.topology.exchange-type at "
							+ "its type).");
		}
		return ConformanceCheck.passed(name);
	}

	private Set<String> services() {
		// as the application declares them: the configured queues and its tasks' services
		Set<String> services = new LinkedHashSet<>(this.topology.services());
		services.addAll(this.registry.services(this.router));
		return services;
	}

	private List<ConformanceCheck> checkRoutes(Connection connection) {
		List<ConformanceCheck> checks = new ArrayList<>();
		for (String task : this.registry.names()) {
			String key = this.router.routingKey(task);
			String queue = this.topology.queueName(key);
			String name = "task " + task + " routes to a declared service queue";
			try (Channel channel = connection.createChannel()) {
				channel.queueDeclarePassive(queue);
				checks.add(ConformanceCheck.passed(name));
			}
			catch (IOException | TimeoutException ex) {
				checks.add(ConformanceCheck.failed(name,
						"it routes with key '" + key + "' but queue " + queue + " does not exist (" + reason(ex) + ").",
						"start the application once so that it declares " + queue
								+ ", or rename the task so that its first segment names an existing service."));
			}
		}
		return checks;
	}

	private List<ConformanceCheck> checkBindings(Connection connection) throws IOException, TimeoutException {
		List<ConformanceCheck> checks = new ArrayList<>();
		String monitor = this.topology.monitorQueueName();
		if (monitor == null) {
			checks.add(ConformanceCheck.failed("monitor queue", "the topology has none.",
					(this.topology.exchangeType() == ExchangeType.DIRECT)
							? "a direct exchange cannot copy tasks to a monitor queue: set "
									+ "celeriac.topology.exchange-type=topic and celeriac.topology.monitor-queue "
									+ "(platform.fifo)."
							: "set celeriac.topology.monitor-queue (platform.fifo)."));
		}
		Map<String, String> probes = new HashMap<>();
		String unrouted = "celeriac-conformance." + UUID.randomUUID();
		try (Channel channel = connection.createChannel()) {
			channel.confirmSelect();
			if (monitor != null) {
				probes.put(publish(channel, unrouted), "monitor");
			}
			for (String service : services()) {
				probes.put(publish(channel, service), service);
			}
			channel.waitForConfirmsOrDie(10_000);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while sending probes", ex);
		}
		Set<String> inMonitor = (monitor != null) ? takeProbes(connection, monitor, checks) : Set.of();
		if (monitor != null) {
			String name = "monitor queue '" + monitor + "' is bound with '#'";
			String probe = key(probes, "monitor");
			checks.add(inMonitor.contains(probe) ? ConformanceCheck.passed(name)
					: ConformanceCheck.failed(name,
							"a probe sent with routing key '" + unrouted + "' did not reach it.",
							"bind " + monitor + " to " + this.topology.exchange() + " with routing key '#'."));
		}
		for (String service : services()) {
			String queue = this.topology.queueName(service);
			String probe = key(probes, service);
			Set<String> inQueue = takeProbes(connection, queue, checks);
			String name = "service queue '" + queue + "' is bound with '" + service + "'";
			checks.add(inQueue.contains(probe) ? ConformanceCheck.passed(name)
					: ConformanceCheck.failed(name, "a probe sent with routing key '" + service + "' did not reach it.",
							"bind " + queue + " to " + this.topology.exchange() + " with routing key '" + service
									+ "' (and remove any wrong binding), or delete the queue so that the application "
									+ "declares it again."));
			if (monitor != null) {
				String copy = "a task sent to '" + service + "' also reaches the monitor queue";
				checks.add(inMonitor.contains(probe) ? ConformanceCheck.passed(copy)
						: ConformanceCheck.failed(copy, "the probe for '" + service + "' is not in " + monitor + ".",
								"bind " + monitor + " with '#' so that the platform sees every task."));
			}
		}
		return checks;
	}

	private List<ConformanceCheck> checkThroughBroker(Broker broker) {
		List<ConformanceCheck> checks = new ArrayList<>();
		for (String task : this.registry.names()) {
			String key = this.router.routingKey(task);
			String queue = this.topology.queueName(key);
			String name = "task " + task + " routes to a declared service queue";
			checks.add(broker.queueExists(queue) ? ConformanceCheck.passed(name)
					: ConformanceCheck.failed(name,
							"it routes with key '" + key + "' but queue " + queue + " does not exist.",
							"start the application once so that it declares " + queue
									+ ", or rename the task so that its first segment names an existing service."));
		}
		String monitor = this.topology.monitorQueueName();
		String type = this.topology.exchangeType().amqpName();
		if (monitor == null) {
			checks.add(ConformanceCheck.failed("monitor queue", "the topology has none.",
					(this.topology.exchangeType() == ExchangeType.DIRECT)
							? "a direct exchange cannot copy tasks to a monitor queue: set "
									+ "celeriac.topology.exchange-type=topic and celeriac.topology.monitor-queue "
									+ "(platform.fifo)."
							: "set celeriac.topology.monitor-queue (platform.fifo)."));
		}
		Map<String, String> probes = new HashMap<>();
		String unrouted = "celeriac-conformance." + UUID.randomUUID();
		try {
			if (monitor != null) {
				probes.put(publish(broker, unrouted), "monitor");
			}
			for (String service : services()) {
				probes.put(publish(broker, service), service);
			}
		}
		catch (RuntimeException ex) {
			checks.add(ConformanceCheck.failed("exchange '" + this.topology.exchange() + "' takes probes",
					"publishing a probe failed: " + ex.getMessage(),
					"declare the topology first (celeriac.topology.declare) and check the broker's settings."));
			return checks;
		}
		if (monitor != null) {
			Set<String> inMonitor = takeProbes(broker, monitor, probes.keySet());
			String name = "monitor queue '" + monitor + "' receives every task (" + type + " exchange)";
			checks.add(inMonitor.containsAll(probes.keySet()) ? ConformanceCheck.passed(name)
					: ConformanceCheck.failed(name,
							"of " + probes.size() + " probes (routing keys '" + unrouted + "' and the services "
									+ services() + "), " + inMonitor.size() + " reached it.",
							"declare " + monitor + " bound with '#' on a topic or fanout exchange "
									+ "(celeriac.topology.exchange-type)."));
		}
		for (String service : services()) {
			String queue = this.topology.queueName(service);
			String name = "service queue '" + queue + "' receives the tasks routed '" + service + "' (" + type
					+ " exchange)";
			if (!broker.queueExists(queue)) {
				checks.add(ConformanceCheck.failed(name, "the queue does not exist.",
						"start the application once so that it declares " + queue + "."));
				continue;
			}
			Set<String> inQueue = takeProbes(broker, queue, Set.of(key(probes, service)));
			checks.add(inQueue.contains(key(probes, service)) ? ConformanceCheck.passed(name)
					: ConformanceCheck.failed(name, "a probe sent with routing key '" + service + "' did not reach it.",
							"declare the topology with this application's settings (celeriac.topology.*) in every "
									+ "producer: on this broker the bindings live in the producer."));
		}
		return checks;
	}

	private String publish(Broker broker, String routingKey) {
		String id = UUID.randomUUID().toString();
		WireMessage message = new WireMessage("[[], {}, {}]".getBytes(StandardCharsets.UTF_8), "application/json",
				"utf-8", Map.of(PROBE_HEADER, id, "id", id, "task", "celeriac.conformance_probe"), null, null, 0, true,
				null);
		broker.publish(this.topology.exchange(), routingKey, message).join();
		return id;
	}

	/**
	 * Takes the probes out of a queue, waiting up to {@link #PROBE_WAIT} for the wanted
	 * ones (brokers such as SQS show a message a moment after it is sent), then the
	 * probes already there; other messages are given back.
	 */
	private static Set<String> takeProbes(Broker broker, String queue, Set<String> wanted) {
		Set<String> found = new HashSet<>();
		List<Delivery> others = new ArrayList<>();
		long deadline = System.nanoTime() + PROBE_WAIT.toNanos();
		while (System.nanoTime() < deadline) {
			Delivery delivery = broker.get(queue);
			if (delivery == null) {
				if (found.containsAll(wanted)) {
					break;
				}
				try {
					Thread.sleep(50);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					break;
				}
				continue;
			}
			Object probe = delivery.message().headers().get(PROBE_HEADER);
			if (probe != null) {
				found.add(probe.toString());
				delivery.ack();
			}
			else {
				others.add(delivery);
			}
		}
		others.forEach((delivery) -> delivery.reject(true));
		return found;
	}

	private String publish(Channel channel, String routingKey) throws IOException {
		String id = UUID.randomUUID().toString();
		AMQP.BasicProperties properties = new AMQP.BasicProperties.Builder().contentType("application/json")
			.contentEncoding("utf-8")
			.headers(Map.of(PROBE_HEADER, id, "id", id, "task", "celeriac.conformance_probe"))
			.build();
		channel.basicPublish(this.topology.exchange(), routingKey, properties,
				"[[], {}, {}]".getBytes(StandardCharsets.UTF_8));
		return id;
	}

	private Set<String> takeProbes(Connection connection, String queue, List<ConformanceCheck> checks)
			throws IOException, TimeoutException {
		Set<String> found = new HashSet<>();
		Channel channel = connection.createChannel();
		try {
			AMQP.Queue.DeclareOk declared = channel.queueDeclarePassive(queue);
			if (declared.getConsumerCount() > 0) {
				checks.add(ConformanceCheck.failed("queue '" + queue + "' has no consumer during the check",
						declared.getConsumerCount() + " consumer(s) may take the probes.",
						"run the kit with celeriac.worker.enabled=false and no other worker on this broker."));
			}
			long tag = -1;
			GetResponse response;
			while ((response = channel.basicGet(queue, false)) != null) {
				Map<String, Object> headers = response.getProps().getHeaders();
				Object probe = (headers != null) ? headers.get(PROBE_HEADER) : null;
				if (probe != null) {
					found.add(probe.toString());
					channel.basicAck(response.getEnvelope().getDeliveryTag(), false);
				}
				else {
					tag = response.getEnvelope().getDeliveryTag();
				}
			}
			if (tag >= 0) {
				channel.basicNack(tag, true, true);
			}
		}
		catch (IOException ex) {
			// the queue does not exist: the binding check reports it
			return found;
		}
		finally {
			if (channel.isOpen()) {
				channel.close();
			}
		}
		return found;
	}

	private ConformanceCheck checkResultStore() {
		String name = "the result store accepts a write";
		if (this.results == null) {
			return ConformanceCheck.failed(name, "no result store is configured (celeriac.result.type=none).",
					"set celeriac.result.type to jdbc or redis and configure its server.");
		}
		String id = "celeriac-conformance-" + UUID.randomUUID();
		try {
			this.results.save(new TaskResult(id, TaskState.SUCCESS, null, null, "celeriac.conformance_probe", null,
					null, "conformance", 0, null, Instant.now()));
			if (this.results.find(id).isEmpty()) {
				return ConformanceCheck.failed(name, "a probe result was saved but cannot be read back.",
						"check that the result store's reads and writes go to the same database or Redis.");
			}
			return ConformanceCheck.passed(name);
		}
		catch (RuntimeException ex) {
			return ConformanceCheck.failed(name, "writing a probe result failed: " + ex.getMessage(),
					"check the result store's credentials (celeriac.result.datasource.*, spring.datasource.*, "
							+ "spring.data.redis.*), that the table exists (celeriac.result.initialize-schema) and "
							+ "that the role may INSERT and UPDATE it.");
		}
	}

	private static String key(Map<String, String> probes, String value) {
		return probes.entrySet()
			.stream()
			.filter((entry) -> entry.getValue().equals(value))
			.map(Map.Entry::getKey)
			.findFirst()
			.orElse("");
	}

	private static String reason(Exception ex) {
		Throwable cause = (ex.getCause() != null) ? ex.getCause() : ex;
		return String.valueOf(cause.getMessage());
	}

}
