package io.celeriac.autoconfigure.operations;

import java.time.Duration;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What the meters read after {@link Jobs}' known workload.
 *
 * @author Celeriac team
 */
final class OperationsWorkload {

	private OperationsWorkload() {
	}

	/**
	 * Sends the workload: {@code succeeded} tasks {@code jobs.ok}, {@code failed} tasks
	 * {@code jobs.fail} and {@code retried} tasks {@code jobs.flaky}.
	 */
	static void send(Jobs jobs, int succeeded, int failed, int retried) {
		for (int i = 0; i < succeeded; i++) {
			jobs.ok(i);
		}
		for (int i = 0; i < failed; i++) {
			jobs.fail(i);
		}
		for (int i = 0; i < retried; i++) {
			jobs.flaky(i);
		}
	}

	/**
	 * Checks the meters after {@link #send}: each state counted by task name and queue,
	 * the publishes by routing key, the run times, and no unbounded tag.
	 */
	static void assertCounts(MeterRegistry registry, String routingKey, int succeeded, int failed, int retried,
			Duration wait) {
		await().atMost(wait).untilAsserted(() -> {
			assertThat(count(registry, "jobs.ok", routingKey, "succeeded")).isEqualTo(succeeded);
			assertThat(count(registry, "jobs.fail", routingKey, "failed")).isEqualTo(failed);
			assertThat(count(registry, "jobs.flaky", routingKey, "succeeded")).isEqualTo(retried);
		});
		assertThat(count(registry, "jobs.ok", routingKey, "started")).isEqualTo(succeeded);
		assertThat(count(registry, "jobs.fail", routingKey, "started")).isEqualTo(failed);
		// a flaky task starts twice: the attempt that fails and the retry
		assertThat(count(registry, "jobs.flaky", routingKey, "started")).isEqualTo(2 * retried);
		assertThat(count(registry, "jobs.flaky", routingKey, "retried")).isEqualTo(retried);
		assertThat(count(registry, "jobs.ok", routingKey, "retried")).isZero();
		assertThat(count(registry, "jobs.fail", routingKey, "retried")).isZero();
		assertThat(count(registry, "jobs.ok", routingKey, "failed")).isZero();
		assertThat(count(registry, "jobs.flaky", routingKey, "failed")).isZero();
		// published: each task sent, then for each retry the worker's publish of the
		// retry (its eta 1.5 s ahead) and the scheduler's publish when it is due
		assertThat(registry.get("celeriac.tasks.published").tag("routing_key", routingKey).counter().count())
			.isEqualTo(succeeded + failed + retried + 2 * retried);
		Timer runs = registry.get("celeriac.tasks.runtime").tag("name", "jobs.ok").tag("state", "succeeded").timer();
		assertThat(runs.count()).isEqualTo(succeeded);
		assertThat(registry.get("celeriac.tasks.runtime").tag("name", "jobs.fail").timer().count()).isEqualTo(failed);
		// bounded tags: never a task id
		registry.getMeters()
			.stream()
			.filter((meter) -> meter.getId().getName().startsWith("celeriac.tasks"))
			.forEach((meter) -> assertThat(meter.getId().getTags())
				.allSatisfy((tag) -> assertThat(tag.getKey()).isIn("name", "queue", "state", "routing_key")));
	}

	private static double count(MeterRegistry registry, String name, String queue, String state) {
		Counter counter = registry.find("celeriac.tasks")
			.tag("name", name)
			.tag("queue", queue)
			.tag("state", state)
			.counter();
		return (counter != null) ? counter.count() : 0;
	}

}
