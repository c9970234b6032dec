package io.celeriac.operations.health;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.celeriac.result.BatchingResultStore;
import io.celeriac.result.ResultStoreUnavailableException;
import io.celeriac.result.TaskResult;
import io.celeriac.result.TaskState;
import io.celeriac.result.memory.InMemoryResultStore;
import org.junit.jupiter.api.Test;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.dao.DataAccessResourceFailureException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The {@code celeriacResults} health indicator shows the batching writer's figures, and
 * since when the store is unreachable.
 *
 * @author Celeriac team
 */
class CeleriacResultStoreHealthIndicatorTests {

	@Test
	void aBatchingStoreShowsItsQueueAndCapacity() throws Exception {
		BatchingResultStore store = new BatchingResultStore(new InMemoryResultStore(), 16, 1, Duration.ofSeconds(5),
				500);
		try {
			Health health = new CeleriacResultStoreHealthIndicator(store).health(true);
			assertThat(health.getStatus()).isEqualTo(Status.UP);
			assertThat(health.getDetails()).containsEntry("queued", 0)
				.containsEntry("capacity", 500)
				.doesNotContainKey("unreachableSince");
		}
		finally {
			store.destroy();
		}
	}

	@Test
	void anUnreachableStoreIsDownWithSinceWhenAndTheLastFailure() throws Exception {
		InMemoryResultStore unreachable = new InMemoryResultStore() {

			@Override
			public void saveAll(List<TaskResult> results) {
				throw new DataAccessResourceFailureException("connection refused (by the test)");
			}

			@Override
			public Optional<TaskResult> find(String taskId) {
				throw new DataAccessResourceFailureException("connection refused (by the test)");
			}

		};
		BatchingResultStore store = new BatchingResultStore(unreachable, 16, 1, Duration.ofSeconds(5), 500);
		try {
			assertThatExceptionOfType(ResultStoreUnavailableException.class)
				.isThrownBy(() -> store.save(new TaskResult("t1", TaskState.SUCCESS, null, null, "tests.health", null,
						null, null, 0, null, null)));
			Health health = new CeleriacResultStoreHealthIndicator(store).health(true);
			assertThat(health.getStatus()).isEqualTo(Status.DOWN);
			assertThat(health.getDetails()).containsKeys("unreachableSince", "lastFailureAt");
			assertThat(health.getDetails().get("lastFailure").toString()).contains("connection refused (by the test)");
		}
		finally {
			store.destroy();
		}
	}

}
