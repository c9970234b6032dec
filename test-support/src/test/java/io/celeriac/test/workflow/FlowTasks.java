package io.celeriac.test.workflow;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.celeriac.task.CurrentTask;
import io.celeriac.task.Deferrable;

/**
 * The Java tasks of the workflow tests (service {@code jflow}), counterparts of the
 * Python {@code pyservice} tasks.
 *
 * @author Celeriac team
 */
public class FlowTasks {

	private final Set<String> failedOnce = ConcurrentHashMap.newKeySet();

	@Deferrable(name = "jflow.add")
	public int add(int x, int y) {
		return x + y;
	}

	@Deferrable(name = "jflow.tsum")
	public int tsum(List<Integer> values) {
		return values.stream().mapToInt(Integer::intValue).sum();
	}

	@Deferrable(name = "jflow.slow_add")
	public int slowAdd(int x, int y, long millis) throws InterruptedException {
		Thread.sleep(millis);
		return x + y;
	}

	@Deferrable(name = "jflow.fail")
	public int fail(String why) {
		throw new IllegalStateException(why);
	}

	@Deferrable(name = "jflow.errback")
	public String errback(String failedTaskId) {
		return failedTaskId;
	}

	/**
	 * Fails its first attempt; the worker retries it as Celery's {@code self.retry} does.
	 * @param x a number
	 * @param y another
	 * @return their sum
	 */
	@Deferrable(name = "jflow.flaky", retryOn = IllegalStateException.class, maxAttempts = 3, backoffDelayMillis = 200,
			backoffJitter = false)
	public int flaky(int x, int y) {
		CurrentTask current = CurrentTask.get();
		if (current != null && this.failedOnce.add(current.id())) {
			throw new IllegalStateException("first attempt fails");
		}
		return x + y;
	}

}
