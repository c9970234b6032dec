package io.celeriac.topology;

/**
 * Routes a task by the first segment of its name, as Cadasta's router does:
 * {@code reports.generate} goes with routing key {@code reports} to the {@code reports}
 * service queue.
 *
 * @author Celeriac team
 */
public class FirstSegmentTaskRouter implements TaskRouter {

	@Override
	public String routingKey(String taskName) {
		int dot = taskName.indexOf('.');
		return (dot < 0) ? taskName : taskName.substring(0, dot);
	}

}
