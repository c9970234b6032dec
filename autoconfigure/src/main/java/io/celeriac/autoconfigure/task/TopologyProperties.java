package io.celeriac.autoconfigure.task;

import java.util.ArrayList;
import java.util.List;

import io.celeriac.topology.ExchangeType;
import io.celeriac.topology.QueueType;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The Celery-style topology on the broker.
 * <p>
 * Bound to {@code celeriac.topology.*}.
 *
 * @author Celeriac team
 */
@ConfigurationProperties("celeriac.topology")
public class TopologyProperties {

	/**
	 * Name of the durable exchange every task is published to.
	 */
	private String exchange = "task_exchange";

	/**
	 * Type of the exchange, as Celery's task_default_exchange_type: topic (binding keys
	 * are patterns, the monitor queue's '#' sees every task), direct (routing key equals
	 * binding key; no monitor queue) or fanout (every queue gets every task). An existing
	 * RabbitMQ exchange must be deleted to change it.
	 */
	private ExchangeType exchangeType = ExchangeType.TOPIC;

	/**
	 * Prefix of every queue name, naming the environment. When unset: the QUEUE_PREFIX
	 * environment variable followed by '-', or 'dev-' without it.
	 */
	private @Nullable String queueNamePrefix;

	/**
	 * Name, without prefix, of the monitor queue, which is bound with '#' and so receives
	 * a copy of every task. Empty for no monitor queue.
	 */
	private String monitorQueue = "platform.fifo";

	/**
	 * Services that have a queue, besides those of this application's tasks. Every
	 * producer should know every service queue.
	 */
	private List<String> queues = new ArrayList<>();

	/**
	 * Type of the declared queues.
	 */
	private QueueType queueType = QueueType.CLASSIC;

	/**
	 * Suffix that turns a queue's name into the name of its error queue.
	 */
	private String errorQueueSuffix = ".error";

	/**
	 * Whether to declare the exchange, queues and bindings at startup.
	 */
	private boolean declare = true;

	/**
	 * Highest message priority the service queues order by: declared with RabbitMQ's
	 * 'x-max-priority' argument (1 to 255, 10 at most is advised; classic queues only),
	 * so that a message with a higher Celery 'priority' is delivered first. 0 for queues
	 * without priorities. An existing queue must be deleted to change it.
	 */
	private int maxPriority;

	public int getMaxPriority() {
		return this.maxPriority;
	}

	public void setMaxPriority(int maxPriority) {
		this.maxPriority = maxPriority;
	}

	public String getExchange() {
		return this.exchange;
	}

	public ExchangeType getExchangeType() {
		return this.exchangeType;
	}

	public void setExchangeType(ExchangeType exchangeType) {
		this.exchangeType = exchangeType;
	}

	public void setExchange(String exchange) {
		this.exchange = exchange;
	}

	public @Nullable String getQueueNamePrefix() {
		return this.queueNamePrefix;
	}

	public void setQueueNamePrefix(@Nullable String queueNamePrefix) {
		this.queueNamePrefix = queueNamePrefix;
	}

	public String getMonitorQueue() {
		return this.monitorQueue;
	}

	public void setMonitorQueue(String monitorQueue) {
		this.monitorQueue = monitorQueue;
	}

	public List<String> getQueues() {
		return this.queues;
	}

	public void setQueues(List<String> queues) {
		this.queues = queues;
	}

	public QueueType getQueueType() {
		return this.queueType;
	}

	public void setQueueType(QueueType queueType) {
		this.queueType = queueType;
	}

	public String getErrorQueueSuffix() {
		return this.errorQueueSuffix;
	}

	public void setErrorQueueSuffix(String errorQueueSuffix) {
		this.errorQueueSuffix = errorQueueSuffix;
	}

	public boolean isDeclare() {
		return this.declare;
	}

	public void setDeclare(boolean declare) {
		this.declare = declare;
	}

}
