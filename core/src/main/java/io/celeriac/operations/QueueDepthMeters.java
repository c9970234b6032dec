package io.celeriac.operations;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * Gauges of the depth of each inspected queue, {@code celeriac.queue.depth{queue}}, and
 * of its error queue, {@code celeriac.queue.error.depth{queue}}, tagged with the consumed
 * queue's name. Each read asks the broker; a queue that does not exist or a broker that
 * does not answer reads as NaN.
 *
 * @author Celeriac team
 */
public class QueueDepthMeters implements MeterBinder {

	/**
	 * The gauge of a queue's ready messages.
	 */
	public static final String DEPTH = "celeriac.queue.depth";

	/**
	 * The gauge of an error queue's ready messages.
	 */
	public static final String ERROR_DEPTH = "celeriac.queue.error.depth";

	private final QueueInspector inspector;

	/**
	 * Creates the gauges' binder.
	 * @param inspector reads the depths
	 */
	public QueueDepthMeters(QueueInspector inspector) {
		this.inspector = inspector;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		for (String queue : this.inspector.queues()) {
			Gauge.builder(DEPTH, () -> depth(queue, false)).tag("queue", queue).register(registry);
			Gauge.builder(ERROR_DEPTH, () -> depth(queue, true)).tag("queue", queue).register(registry);
		}
	}

	private double depth(String queue, boolean errorQueue) {
		try {
			QueueDepth depth = this.inspector.inspect(queue);
			long count = errorQueue ? depth.errorQueueDepth() : depth.depth();
			return (count >= 0) ? count : Double.NaN;
		}
		catch (RuntimeException ex) {
			return Double.NaN;
		}
	}

}
