package io.celeriac.dashboard;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.celeriac.errorqueue.ErrorQueueMessage;
import io.celeriac.errorqueue.ErrorQueueService;
import io.celeriac.operations.QueueDepth;
import io.celeriac.operations.QueueInspector;
import io.celeriac.topology.Topology;
import org.jspecify.annotations.Nullable;

/**
 * Turns the error queues into what the error-queue page shows, and requeues or discards
 * their messages: one, a selection, or all. The error queues are those of the inspected
 * queues and, when the topology has a monitor queue, the monitor's, where its consumer
 * moves what it can never record.
 * <p>
 * Listing takes the messages it shows from the broker and gives them back, so listings
 * and actions run one at a time (an action never misses messages that a page's listing
 * holds), and an error queue is listed again only when its size changed or after an
 * action on it: a page refreshed every few seconds does not hand the same messages back
 * to the broker every few seconds (each give-back counts as a delivery, and a quorum
 * queue drops a message past its delivery limit).
 *
 * @author Celeriac team
 */
public class ErrorQueueViews {

	private final @Nullable QueueInspector inspector;

	private final @Nullable ErrorQueueService operations;

	private final int pageSize;

	private final Map<String, Listing> listings = new HashMap<>();

	/**
	 * Creates the views.
	 * @param inspector reads the queues and names their error queues, or {@code null}
	 * without a broker
	 * @param operations lists, requeues and discards messages, or {@code null} without a
	 * broker
	 * @param pageSize the most messages listed per error queue
	 */
	public ErrorQueueViews(@Nullable QueueInspector inspector, @Nullable ErrorQueueService operations, int pageSize) {
		this.inspector = inspector;
		this.operations = operations;
		this.pageSize = Math.max(1, pageSize);
	}

	/**
	 * Reads every error queue with its first messages.
	 * @return the error queues
	 */
	public synchronized ErrorQueuesView errorQueues() {
		if (this.inspector == null || this.operations == null) {
			return new ErrorQueuesView(false, List.of());
		}
		List<ErrorQueueView> queues = new ArrayList<>();
		for (QueueDepth depth : inspect(this.inspector)) {
			Topology.ServiceQueue queue = this.inspector.topology().serviceQueue(depth.name());
			queues.add(new ErrorQueueView(depth.errorQueue(), queue.service(), depth.errorQueueDepth(),
					listed(this.operations, depth), queue.monitor()));
		}
		return new ErrorQueuesView(true, queues);
	}

	/**
	 * Reads the inspected queues and, when the topology has one that is not among them,
	 * the monitor queue.
	 */
	private static List<QueueDepth> inspect(QueueInspector inspector) {
		List<QueueDepth> depths = new ArrayList<>(inspector.inspect());
		String monitor = inspector.topology().monitorQueueName();
		if (monitor != null && depths.stream().noneMatch((depth) -> depth.name().equals(monitor))) {
			depths.add(inspector.inspect(monitor));
		}
		return depths;
	}

	private List<ErrorMessageView> listed(ErrorQueueService operations, QueueDepth depth) {
		if (depth.errorQueueDepth() <= 0) {
			this.listings.remove(depth.errorQueue());
			return List.of();
		}
		Listing listing = this.listings.get(depth.errorQueue());
		if (listing == null || listing.depth() != depth.errorQueueDepth()) {
			listing = new Listing(depth.errorQueueDepth(),
					operations.list(depth.errorQueue(), this.pageSize).stream().map(ErrorMessageView::of).toList());
			this.listings.put(depth.errorQueue(), listing);
		}
		return listing.messages();
	}

	/**
	 * Requeues the messages of some tasks.
	 * @param errorQueue the error queue's full name
	 * @param taskIds the tasks' ids
	 * @return how many were found and requeued
	 */
	public synchronized ActionResult requeue(String errorQueue, Collection<String> taskIds) {
		int done = operations().requeue(own(errorQueue), taskIds);
		this.listings.remove(errorQueue);
		return new ActionResult("requeue", errorQueue, done);
	}

	/**
	 * Discards the messages of some tasks.
	 * @param errorQueue the error queue's full name
	 * @param taskIds the tasks' ids
	 * @return how many were found and discarded
	 */
	public synchronized ActionResult discard(String errorQueue, Collection<String> taskIds) {
		int done = operations().discard(own(errorQueue), taskIds);
		this.listings.remove(errorQueue);
		return new ActionResult("discard", errorQueue, done);
	}

	/**
	 * Requeues every message of an error queue.
	 * @param errorQueue the error queue's full name
	 * @return how many were requeued
	 */
	public synchronized ActionResult requeueAll(String errorQueue) {
		this.listings.remove(errorQueue);
		return new ActionResult("requeue-all", errorQueue, operations().requeueAll(own(errorQueue)));
	}

	/**
	 * Discards every message of an error queue.
	 * @param errorQueue the error queue's full name
	 * @return how many were discarded
	 */
	public synchronized ActionResult discardAll(String errorQueue) {
		this.listings.remove(errorQueue);
		return new ActionResult("discard-all", errorQueue, operations().discardAll(own(errorQueue)));
	}

	private ErrorQueueService operations() {
		if (this.operations == null) {
			throw new IllegalStateException("This application has no broker, so no error queues");
		}
		return this.operations;
	}

	/**
	 * Returns the error queue if it is one of the inspected queues'.
	 */
	private String own(String errorQueue) {
		if (this.inspector == null) {
			throw new IllegalStateException("This application has no broker, so no error queues");
		}
		for (QueueDepth depth : inspect(this.inspector)) {
			if (depth.errorQueue().equals(errorQueue)) {
				return errorQueue;
			}
		}
		Topology topology = this.inspector.topology();
		throw new IllegalArgumentException("'" + errorQueue + "' is not the error queue of a queue of this application "
				+ "(known: " + topology.errorQueueNames() + ")");
	}

	/**
	 * The messages last listed from an error queue, and its size then.
	 */
	private record Listing(long depth, List<ErrorMessageView> messages) {

	}

	/**
	 * The error queues.
	 *
	 * @param available whether the application has a broker
	 * @param queues one per consumed queue, then the monitor queue's
	 */
	public record ErrorQueuesView(boolean available, List<ErrorQueueView> queues) {

	}

	/**
	 * One error queue with its first messages.
	 *
	 * @param name its full name
	 * @param service the service whose queue it serves (for the monitor's, the monitor
	 * queue's name without the prefix)
	 * @param messages how many messages it holds, {@code -1} if it does not exist
	 * @param listed its first messages, oldest first, up to the page size
	 * @param monitor whether it is the monitor queue's, whose requeued messages go back
	 * to the monitor queue alone
	 */
	public record ErrorQueueView(String name, String service, long messages, List<ErrorMessageView> listed,
			boolean monitor) {

	}

	/**
	 * A message in an error queue.
	 *
	 * @param taskId the task id, if it has one
	 * @param task the task name, if known
	 * @param kind why it is there, as an error kind
	 * @param reason what went wrong
	 * @param exception the exception's class name, if there was one
	 * @param stackTrace the exception's stack trace, if there was one
	 * @param attempts how many attempts ran, if it ran
	 * @param firstFailure when the first attempt failed
	 * @param lastFailure when the last attempt failed
	 * @param routingKey the routing key it was sent with
	 */
	public record ErrorMessageView(@Nullable String taskId, @Nullable String task, String kind, String reason,
			@Nullable String exception, @Nullable String stackTrace, @Nullable Integer attempts,
			@Nullable String firstFailure, @Nullable String lastFailure, String routingKey) {

		static ErrorMessageView of(ErrorQueueMessage message) {
			return new ErrorMessageView(message.taskId(), message.task(), message.kind(), message.reason(),
					message.exception(), message.stackTrace(), message.attempts(), message.firstFailure(),
					message.lastFailure(), message.routingKey());
		}

	}

	/**
	 * What an action did.
	 *
	 * @param action the action
	 * @param errorQueue the error queue
	 * @param messages how many messages it moved or dropped
	 */
	public record ActionResult(String action, String errorQueue, int messages) {

	}

}
