package io.celeriac.operations.health;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.celeriac.operations.QueueDepth;
import io.celeriac.operations.QueueInspector;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * The broker's health as the worker needs it: UP when each queue it consumes and each of
 * their error queues exists, with their depths as details; DOWN, with the reason, when
 * one is missing or the broker does not answer.
 *
 * @author Celeriac team
 */
public class CeleriacBrokerHealthIndicator extends AbstractHealthIndicator {

	private final QueueInspector inspector;

	/**
	 * Creates the indicator.
	 * @param inspector reads the queues
	 */
	public CeleriacBrokerHealthIndicator(QueueInspector inspector) {
		super("Celeriac broker health check failed");
		this.inspector = inspector;
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) {
		List<QueueDepth> depths;
		try {
			depths = this.inspector.inspect();
		}
		catch (RuntimeException ex) {
			builder.down(ex).withDetail("reason", "The broker did not answer: " + ex.getMessage());
			return;
		}
		Map<String, Object> queues = new LinkedHashMap<>();
		List<String> missing = new ArrayList<>();
		for (QueueDepth depth : depths) {
			queues.put(depth.name(), queueDetail(depth.exists(), depth.depth()));
			queues.put(depth.errorQueue(), queueDetail(depth.errorQueueExists(), depth.errorQueueDepth()));
			if (!depth.exists()) {
				missing.add(depth.name());
			}
			if (!depth.errorQueueExists()) {
				missing.add(depth.errorQueue());
			}
		}
		builder.withDetail("exchange", this.inspector.topology().exchange()).withDetail("queues", queues);
		if (missing.isEmpty()) {
			builder.up();
		}
		else {
			builder.down().withDetail("reason", "Queues do not exist: " + missing);
		}
	}

	private static Map<String, Object> queueDetail(boolean exists, long depth) {
		return exists ? Map.of("exists", true, "depth", depth) : Map.of("exists", false);
	}

}
