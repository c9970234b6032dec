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

	static void assertCounts(MeterRegistry registry, String routingKey, int succeeded, int failed, Duration wait) {
		await().atMost(wait).untilAsserted(() -> {
			assertThat(count(registry, "jobs.ok", routingKey, "succeeded")).isEqualTo(succeeded);
			assertThat(count(registry, "jobs.fail", routingKey, "failed")).isEqualTo(failed);
		});
		assertThat(count(registry, "jobs.ok", routingKey, "started")).isEqualTo(succeeded);
		assertThat(count(registry, "jobs.fail", routingKey, "started")).isEqualTo(failed);
		assertThat(registry.find("celeriac.tasks").tag("state", "retried").counter()).isNull();
		assertThat(registry.get("celeriac.tasks.published").tag("routing_key", routingKey).counter().count())
			.isEqualTo(succeeded + failed);
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
