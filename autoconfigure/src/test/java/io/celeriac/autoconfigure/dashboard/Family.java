package io.celeriac.autoconfigure.dashboard;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import io.celeriac.task.Deferrable;
import io.celeriac.task.TaskClient;
import io.celeriac.task.TaskOptions;

/**
 * Tasks of a small workflow: {@code family.parent} sends one {@code family.child} per
 * child, which become its children.
 *
 * @author Celeriac team
 */
public class Family {

	private final TaskClient client;

	public Family(TaskClient client) {
		this.client = client;
	}

	@Deferrable(name = "family.parent")
	public CompletableFuture<Integer> parent(int children) {
		for (int child = 0; child < children; child++) {
			this.client.send("family.child", List.of(child), Map.of(), TaskOptions.defaults());
		}
		return CompletableFuture.completedFuture(children);
	}

	@Deferrable(name = "family.child")
	public CompletableFuture<Integer> child(int value) {
		return CompletableFuture.completedFuture(value);
	}

}
