package io.celeriac.topology;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.jspecify.annotations.Nullable;

/**
 * The Celery-style topology of one environment: a durable exchange (topic unless
 * configured otherwise); the monitor queue bound with {@code #}, which receives a copy of
 * every task; the {@code celery} queue bound {@code celery}; one queue per service bound
 * with the service's name; and an error queue beside each consumed queue. Queue names
 * carry the environment prefix; routing keys do not.
 *
 * @param exchange the exchange's name
 * @param queueNamePrefix the prefix of every queue name, e.g. {@code dev-}
 * @param monitorQueue the monitor queue's name without prefix, or {@code null} for none
 * @param services the services that have a queue, besides {@code celery}
 * @param queueType the queue type
 * @param errorQueueSuffix what turns a queue name into its error queue's name
 * @param maxPriority the highest message priority the service queues order by (on
 * RabbitMQ their {@code x-max-priority} argument, 1 to 255), or 0 for queues without
 * priorities
 * @param exchangeType the exchange's type, as Celery's {@code task_default_exchange_type}
 * @author Celeriac team
 */
public record Topology(String exchange, String queueNamePrefix, @Nullable String monitorQueue, Set<String> services,
		QueueType queueType, String errorQueueSuffix, int maxPriority, ExchangeType exchangeType) {

	/**
	 * The name and routing key of Celery's default queue.
	 */
	public static final String CELERY_QUEUE = "celery";

	public Topology {
		LinkedHashSet<String> all = new LinkedHashSet<>();
		all.add(CELERY_QUEUE);
		all.addAll(services);
		services = Collections.unmodifiableSet(all);
		if (monitorQueue != null && monitorQueue.isBlank()) {
			monitorQueue = null;
		}
		if (maxPriority < 0 || maxPriority > 255) {
			throw new IllegalArgumentException(
					"maxPriority must be between 0 (no priorities) and 255, not " + maxPriority);
		}
		if (maxPriority > 0 && queueType == QueueType.QUORUM) {
			throw new IllegalArgumentException("maxPriority " + maxPriority
					+ " needs classic queues: RabbitMQ's quorum queues have no x-max-priority");
		}
		if (exchangeType == ExchangeType.DIRECT && monitorQueue != null) {
			throw new IllegalArgumentException("The monitor queue '" + monitorQueue
					+ "' needs a topic or fanout exchange: on a direct exchange its binding '#' receives no task. "
					+ "Set celeriac.topology.exchange-type to topic, or celeriac.topology.monitor-queue to empty");
		}
	}

	/**
	 * Creates a topology on a topic exchange.
	 * @param exchange the topic exchange's name
	 * @param queueNamePrefix the prefix of every queue name, e.g. {@code dev-}
	 * @param monitorQueue the monitor queue's name without prefix, or {@code null} for
	 * none
	 * @param services the services that have a queue, besides {@code celery}
	 * @param queueType the queue type
	 * @param errorQueueSuffix what turns a queue name into its error queue's name
	 * @param maxPriority the highest message priority the service queues order by, or 0
	 */
	public Topology(String exchange, String queueNamePrefix, @Nullable String monitorQueue, Set<String> services,
			QueueType queueType, String errorQueueSuffix, int maxPriority) {
		this(exchange, queueNamePrefix, monitorQueue, services, queueType, errorQueueSuffix, maxPriority,
				ExchangeType.TOPIC);
	}

	/**
	 * Creates a topology on a topic exchange whose queues have no priorities.
	 * @param exchange the topic exchange's name
	 * @param queueNamePrefix the prefix of every queue name, e.g. {@code dev-}
	 * @param monitorQueue the monitor queue's name without prefix, or {@code null} for
	 * none
	 * @param services the services that have a queue, besides {@code celery}
	 * @param queueType the queue type
	 * @param errorQueueSuffix what turns a queue name into its error queue's name
	 */
	public Topology(String exchange, String queueNamePrefix, @Nullable String monitorQueue, Set<String> services,
			QueueType queueType, String errorQueueSuffix) {
		this(exchange, queueNamePrefix, monitorQueue, services, queueType, errorQueueSuffix, 0, ExchangeType.TOPIC);
	}

	/**
	 * Returns the queue name of a service.
	 * @param service the service, i.e. the routing key
	 * @return the prefixed queue name
	 */
	public String queueName(String service) {
		return this.queueNamePrefix + service;
	}

	/**
	 * Returns the name of the error queue that receives what could not be run from a
	 * queue.
	 * @param queueName the full name of the consumed queue
	 * @return the error queue's name
	 */
	public String errorQueueName(String queueName) {
		return queueName + this.errorQueueSuffix;
	}

	/**
	 * Returns the monitor queue's full name.
	 * @return the prefixed name, or {@code null} without a monitor queue
	 */
	public @Nullable String monitorQueueName() {
		return (this.monitorQueue != null) ? queueName(this.monitorQueue) : null;
	}

	/**
	 * Returns every binding of the topology: each service queue with its name, and the
	 * monitor queue with {@code #}.
	 * @return the bindings
	 */
	public List<QueueBinding> bindings() {
		List<QueueBinding> bindings = new ArrayList<>();
		String monitor = monitorQueueName();
		if (monitor != null) {
			bindings.add(new QueueBinding(monitor, "#"));
		}
		for (String service : this.services) {
			bindings.add(new QueueBinding(queueName(service), service));
		}
		return bindings;
	}

	/**
	 * Returns the monitor queue's error queue, where the monitor moves a message it
	 * cannot record.
	 * @return the error queue's full name, or {@code null} without a monitor queue
	 */
	public @Nullable String monitorErrorQueueName() {
		String monitor = monitorQueueName();
		return (monitor != null) ? errorQueueName(monitor) : null;
	}

	/**
	 * Returns the names of the error queues: one per service queue, and the monitor
	 * queue's last, if there is a monitor queue.
	 * @return the error queue names
	 */
	public List<String> errorQueueNames() {
		List<String> names = new ArrayList<>(
				this.services.stream().map((service) -> errorQueueName(queueName(service))).toList());
		String monitor = monitorErrorQueueName();
		if (monitor != null) {
			names.add(monitor);
		}
		return List.copyOf(names);
	}

	/**
	 * Tells which service a queue or an error queue belongs to: the queue name without
	 * the prefix (and, for an error queue, without the error queue suffix) is the
	 * service, as the topology names queues. A name without the prefix is taken as the
	 * full name of a queue outside the prefix (one a worker was told to consume), whose
	 * service is that name.
	 * @param name the full name of a queue or of an error queue
	 * @return the service, its queue and its error queue
	 */
	public ServiceQueue serviceQueue(String name) {
		boolean error = name.endsWith(this.errorQueueSuffix) && !this.errorQueueSuffix.isEmpty();
		String queue = error ? name.substring(0, name.length() - this.errorQueueSuffix.length()) : name;
		String service = queue.startsWith(this.queueNamePrefix) ? queue.substring(this.queueNamePrefix.length())
				: queue;
		return new ServiceQueue(service, queue, errorQueueName(queue), queue.equals(monitorQueueName()));
	}

	/**
	 * Returns a copy on another type of exchange.
	 * @param type the exchange type
	 * @return the topology
	 */
	public Topology withExchangeType(ExchangeType type) {
		return new Topology(this.exchange, this.queueNamePrefix, this.monitorQueue, this.services, this.queueType,
				this.errorQueueSuffix, this.maxPriority, type);
	}

	/**
	 * A queue of the topology with its service and its error queue.
	 *
	 * @param service the service (the routing key it is bound with; for the monitor
	 * queue, its name without the prefix)
	 * @param queue the queue's full name
	 * @param errorQueue its error queue's full name
	 * @param monitor whether it is the monitor queue, which receives a copy of every task
	 * rather than a service's tasks
	 */
	public record ServiceQueue(String service, String queue, String errorQueue, boolean monitor) {

	}

	/**
	 * A queue bound to the topology's exchange.
	 *
	 * @param queue the queue's full name
	 * @param routingKey the binding's routing key (pattern)
	 */
	public record QueueBinding(String queue, String routingKey) {

	}

}
