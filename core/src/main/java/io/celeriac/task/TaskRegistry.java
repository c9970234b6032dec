package io.celeriac.task;

import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.celeriac.topology.TaskRouter;

/**
 * The tasks this application defines, by name.
 *
 * @author Celeriac team
 */
public class TaskRegistry {

	private final Map<String, TaskMethod> tasks = new ConcurrentHashMap<>();

	/**
	 * Registers a task.
	 * @param task the task
	 * @throws IllegalStateException if another method already has the name
	 */
	public void register(TaskMethod task) {
		TaskMethod existing = this.tasks.putIfAbsent(task.name(), task);
		if (existing != null && !existing.method().equals(task.method())) {
			throw new IllegalStateException("Task name '" + task.name() + "' is used by both " + existing.describe()
					+ " and " + task.describe() + "; give one of them another @Deferrable(name = ...)");
		}
	}

	/**
	 * Replaces a registered task's target, e.g. with the object the application context
	 * ended up holding for its bean.
	 * @param task the task, with the name and method it was registered with
	 */
	void replace(TaskMethod task) {
		this.tasks.computeIfPresent(task.name(),
				(name, existing) -> existing.method().equals(task.method()) ? task : existing);
	}

	/**
	 * Finds a task by name.
	 * @param name the task name
	 * @return the task, or empty if this application defines none of that name
	 */
	public Optional<TaskMethod> find(String name) {
		return Optional.ofNullable(this.tasks.get(name));
	}

	/**
	 * Returns the names of every task.
	 * @return the names
	 */
	public Set<String> names() {
		return Collections.unmodifiableSet(new java.util.TreeSet<>(this.tasks.keySet()));
	}

	/**
	 * Returns the services of this application's tasks: the routing key of each.
	 * @param router the router that gives each task its routing key
	 * @return the services, in name order
	 */
	public Set<String> services(TaskRouter router) {
		Set<String> services = new LinkedHashSet<>();
		names().forEach((name) -> services.add(router.routingKey(name)));
		return Collections.unmodifiableSet(services);
	}

}
