package io.celeriac.autoconfigure.operations;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import io.celeriac.task.Deferrable;

/**
 * Tasks of a known workload: {@code jobs.ok} succeeds, {@code jobs.fail} throws,
 * {@code jobs.flaky} throws on its first attempt for each value, is retried after 1.5 s,
 * and succeeds.
 *
 * @author Celeriac team
 */
public class Jobs {

	private final Map<Integer, AtomicInteger> flakyAttempts = new ConcurrentHashMap<>();

	@Deferrable(name = "jobs.ok")
	public CompletableFuture<Integer> ok(int value) {
		return CompletableFuture.completedFuture(value * 2);
	}

	@Deferrable(name = "jobs.fail")
	public CompletableFuture<Integer> fail(int value) {
		throw new IllegalStateException("jobs.fail always fails (" + value + ")");
	}

	@Deferrable(name = "jobs.flaky", retryOn = IllegalStateException.class, backoff = false, backoffDelayMillis = 1500,
			backoffJitter = false)
	public CompletableFuture<Integer> flaky(int value) {
		int attempt = this.flakyAttempts.computeIfAbsent(value, (key) -> new AtomicInteger()).incrementAndGet();
		if (attempt == 1) {
			throw new IllegalStateException("jobs.flaky fails its first attempt (" + value + ")");
		}
		return CompletableFuture.completedFuture(value);
	}

}
