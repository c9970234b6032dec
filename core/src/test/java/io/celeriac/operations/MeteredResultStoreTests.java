package io.celeriac.operations;

import java.time.Instant;
import java.util.concurrent.TimeUnit;

import io.celeriac.result.TaskFailure;
import io.celeriac.result.TaskResult;
import io.celeriac.result.TaskState;
import io.celeriac.result.memory.InMemoryResultStore;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link MeteredResultStore}'s state tags.
 */
class MeteredResultStoreTests {

	private final MeterRegistry registry = new SimpleMeterRegistry();

	private final MeteredResultStore store = new MeteredResultStore(new InMemoryResultStore(), this.registry);

	@Test
	void anExpiredTaskCountsAsExpiredAndARevokedOneAsRevoked() {
		this.store.save(revoked("a", TaskFailure.expired()));
		this.store.save(revoked("b", TaskFailure.expired()));
		this.store.save(revoked("c", new TaskFailure("TaskRevokedError", "celery.exceptions", "revoked", "")));
		assertThat(count("expired")).isEqualTo(2);
		assertThat(count("revoked")).isEqualTo(1);
	}

	@Test
	void aRunIsTimedFromStartedToItsFinalState() {
		Instant started = Instant.parse("2026-12-02T03:00:00Z");
		this.store.save(result("d", TaskState.STARTED, null, started));
		this.store.save(result("d", TaskState.SUCCESS, null, started.plusMillis(250)));
		assertThat(count("started")).isEqualTo(1);
		assertThat(count("succeeded")).isEqualTo(1);
		assertThat(this.registry.get(MeteredResultStore.RUN_TIME)
			.tag("state", "succeeded")
			.timer()
			.totalTime(TimeUnit.MILLISECONDS)).isEqualTo(250);
	}

	private double count(String state) {
		return this.registry.get(MeteredResultStore.TASKS)
			.tag("name", "reports.render")
			.tag("queue", "reports")
			.tag("state", state)
			.counter()
			.count();
	}

	private static TaskResult revoked(String id, TaskFailure failure) {
		return result(id, TaskState.REVOKED, failure, Instant.now());
	}

	private static TaskResult result(String id, TaskState state, @Nullable TaskFailure failure, Instant at) {
		return new TaskResult(id, state, null, failure, "reports.render", null, null, "worker@host", 0, "reports", at);
	}

}
