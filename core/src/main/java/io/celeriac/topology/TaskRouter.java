package io.celeriac.topology;

/**
 * Chooses the routing key of a task message from the task name.
 *
 * @author Celeriac team
 */
@FunctionalInterface
public interface TaskRouter {

	/**
	 * Returns the routing key for a task.
	 * @param taskName the task name
	 * @return the routing key
	 */
	String routingKey(String taskName);

}
