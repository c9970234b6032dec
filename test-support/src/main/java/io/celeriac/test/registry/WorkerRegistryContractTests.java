package io.celeriac.test.registry;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import io.celeriac.registry.WorkerDescription;
import io.celeriac.registry.WorkerDescription.WorkingOn;
import io.celeriac.registry.WorkerRegistry;
import io.celeriac.worker.WorkerSettings;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.awaitility.Awaitility.await;

/**
 * The contract of {@link WorkerRegistry}: every backend's test extends this class and
 * supplies the registry under test. Worker ids are unique to each test, and each test
 * looks only at its own workers.
 *
 * @author Celeriac team
 */
public abstract class WorkerRegistryContractTests {

	private static final Duration LONG = Duration.ofMinutes(1);

	/**
	 * Returns the registry under test; the same instance for a whole test.
	 * @return the registry
	 */
	protected abstract WorkerRegistry registry();

	/**
	 * Returns a second registry on the same store, standing for another process. By
	 * default the same instance.
	 * @return another registry on the same store
	 */
	protected WorkerRegistry otherProcess() {
		return registry();
	}

	@Test
	void anAnnouncedWorkerIsListedWithItsDescription() {
		WorkerDescription worker = worker(id("described"), new WorkingOn(UUID.randomUUID().toString(), "reports.build",
				Instant.parse("2026-01-02T03:04:05.123456Z")));
		registry().announce(worker, LONG);
		assertThat(otherProcess().find(worker.id())).contains(worker);
		assertThat(registry().workers()).contains(worker);
	}

	@Test
	void announcingAgainReplacesTheDescription() {
		String id = id("replaced");
		registry().announce(worker(id, new WorkingOn("first", "reports.build", Instant.now())), LONG);
		WorkerDescription idle = worker(id);
		otherProcess().announce(idle, LONG);
		assertThat(registry().workers().stream().filter((worker) -> worker.id().equals(id))).containsExactly(idle);
		assertThat(registry().find(id).orElseThrow().workingOn()).isEmpty();
	}

	@Test
	void workersAreListedInTheOrderOfTheirIds() {
		String prefix = id("ordered");
		for (String name : List.of("c", "a", "b")) {
			registry().announce(worker(prefix + "-" + name), LONG);
		}
		assertThat(otherProcess().workers().stream().map(WorkerDescription::id).filter((id) -> id.startsWith(prefix)))
			.containsExactly(prefix + "-a", prefix + "-b", prefix + "-c");
	}

	@Test
	void aStoppedWorkerUnregistersAtOnce() {
		String id = id("stopped");
		registry().announce(worker(id), LONG);
		assertThat(registry().unregister(id)).isTrue();
		assertThat(otherProcess().find(id)).isEmpty();
		assertThat(registry().unregister(id)).isFalse();
	}

	@Test
	void twoWorkersOnOneHostWithDefaultNamesAreTwoEntriesAndStoppingOneLeavesTheOther() {
		// two processes on one host, each named by default from its host and pid
		String host = "host-" + UUID.randomUUID();
		String first = WorkerSettings.defaultName(host, 4242);
		String second = WorkerSettings.defaultName(host, 4243);
		registry().announce(worker(first), LONG);
		otherProcess().announce(worker(second), LONG);
		assertThat(registry().workers().stream().map(WorkerDescription::id)).contains(first, second);
		assertThat(otherProcess().unregister(second)).isTrue();
		assertThat(registry().find(first)).isPresent();
		assertThat(otherProcess().find(second)).isEmpty();
		assertThat(registry().unregister(first)).isTrue();
	}

	@Test
	void aWorkerNotHeardFromWithinItsWindowIsPruned() {
		// a worker whose heartbeat stopped without unregistering, as a killed process
		String dead = id("dead");
		String alive = id("alive");
		Duration window = Duration.ofSeconds(1);
		registry().announce(worker(dead), window);
		registry().announce(worker(alive), LONG);
		assertThat(otherProcess().find(dead)).isPresent();
		await().atMost(window.plusSeconds(5))
			.pollInterval(Duration.ofMillis(50))
			.until(() -> otherProcess().find(dead).isEmpty());
		assertThat(registry().workers().stream().map(WorkerDescription::id)).contains(alive).doesNotContain(dead);
		assertThat(registry().unregister(dead)).isFalse();
	}

	@Test
	void aWorkerAnnouncedAgainWithinItsWindowStays() {
		String id = id("beating");
		Duration window = Duration.ofSeconds(1);
		registry().announce(worker(id), window);
		// a fresh announcement with a long window outlives the first one's deadline
		registry().announce(worker(id), LONG);
		Instant firstDeadline = Instant.now().plus(window);
		await().atMost(window.plusSeconds(5)).until(() -> Instant.now().isAfter(firstDeadline.plusMillis(200)));
		assertThat(otherProcess().find(id)).isPresent();
	}

	@Test
	void aWindowMustBePositive() {
		assertThatIllegalArgumentException().isThrownBy(() -> registry().announce(worker(id("zero")), Duration.ZERO));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> registry().announce(worker(id("negative")), Duration.ofSeconds(-1)));
	}

	/**
	 * Returns a worker id unique to this test run.
	 * @param name a readable part
	 * @return the id
	 */
	protected static String id(String name) {
		return name + "-" + UUID.randomUUID() + "@test-host";
	}

	/**
	 * Returns a worker's description.
	 * @param id its id
	 * @param workingOn what it runs
	 * @return the description
	 */
	protected static WorkerDescription worker(String id, WorkingOn... workingOn) {
		return new WorkerDescription(id, "test-host", 4242, List.of("dev-reports", "dev-exports"),
				Instant.parse("2026-01-02T03:00:00Z"), "1.0.0-test", true, Instant.now(), List.of(workingOn));
	}

}
