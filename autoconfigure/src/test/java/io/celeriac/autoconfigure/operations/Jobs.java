package io.celeriac.autoconfigure.operations;

import java.util.concurrent.CompletableFuture;

import io.celeriac.task.Deferrable;

/**
 * Tasks of a known workload: {@code jobs.ok} succeeds, {@code jobs.fail} throws.
 *
 * @author Celeriac team
 */
public class Jobs {

	@Deferrable(name = "jobs.ok")
	public CompletableFuture<Integer> ok(int value) {
		return CompletableFuture.completedFuture(value * 2);
	}

	@Deferrable(name = "jobs.fail")
	public CompletableFuture<Integer> fail(int value) {
		throw new IllegalStateException("jobs.fail always fails (" + value + ")");
	}

}
