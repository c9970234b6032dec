package io.celeriac.test.revoke;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import io.celeriac.revoke.RevokedTaskStore;
import io.celeriac.revoke.RevokedTaskStore.Limits;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * The contract of {@link RevokedTaskStore}: every backend's test extends this class and
 * creates stores with the limits each test asks for. Two stores created by one test share
 * their data, as two workers (or one worker before and after a restart) on the same
 * server do.
 *
 * @author Celeriac team
 */
public abstract class RevokedTaskStoreContractTests {

	/**
	 * Returns a store with the given limits; every store a test creates shares the same
	 * data, and each test starts with none.
	 * @param limits the limits
	 * @return the store
	 */
	protected abstract RevokedTaskStore store(Limits limits);

	private static final Limits ROOMY = new Limits(1000, Duration.ofHours(1));

	@Test
	void aRevokedIdIsContainedAndListedWithItsTime() {
		RevokedTaskStore store = store(ROOMY);
		String id = id();
		Instant at = Instant.now().truncatedTo(ChronoUnit.MILLIS);
		store.add(List.of(id), at);
		assertThat(store.contains(id)).isTrue();
		assertThat(store.contains(id())).isFalse();
		assertThat(store.revoked()).containsEntry(id, at);
	}

	@Test
	void revokedIdsOutliveTheStoreThatRecordedThem() {
		String first = id();
		String second = id();
		store(ROOMY).add(List.of(first, second), Instant.now());
		RevokedTaskStore restarted = store(ROOMY);
		assertThat(restarted.contains(first)).isTrue();
		assertThat(restarted.revoked().keySet()).contains(first, second);
	}

	@Test
	void revokingAgainMovesTheTimeForward() {
		RevokedTaskStore store = store(ROOMY);
		String id = id();
		Instant earlier = Instant.now().minusSeconds(60).truncatedTo(ChronoUnit.MILLIS);
		Instant later = earlier.plusSeconds(30);
		store.add(List.of(id), earlier);
		store.add(List.of(id), later);
		assertThat(store.revoked()).containsEntry(id, later).hasSize(1);
	}

	@Test
	void idsOlderThanTheMaximumAgeAreForgotten() {
		RevokedTaskStore store = store(new Limits(1000, Duration.ofMinutes(10)));
		String old = id();
		String recent = id();
		store.add(List.of(old), Instant.now().minus(Duration.ofMinutes(11)));
		store.add(List.of(recent), Instant.now().minus(Duration.ofMinutes(9)));
		assertThat(store.contains(old)).isFalse();
		assertThat(store.contains(recent)).isTrue();
		assertThat(store.revoked().keySet()).containsExactly(recent);
	}

	@Test
	void pastTheMaximumCountTheOldestAreForgotten() {
		RevokedTaskStore store = store(new Limits(3, Duration.ofHours(1)));
		Instant start = Instant.now().minusSeconds(60);
		List<String> ids = List.of(id(), id(), id(), id(), id());
		for (int i = 0; i < ids.size(); i++) {
			store.add(List.of(ids.get(i)), start.plusSeconds(i));
		}
		assertThat(store.revoked().keySet()).containsExactlyInAnyOrderElementsOf(ids.subList(2, 5));
		assertThat(store.contains(ids.get(0))).isFalse();
		assertThat(store.contains(ids.get(1))).isFalse();
		assertThat(store.contains(ids.get(4))).isTrue();
	}

	@Test
	void addingNothingChangesNothing() {
		RevokedTaskStore store = store(ROOMY);
		store.add(Set.of(), Instant.now());
		assertThat(store.revoked()).isEmpty();
	}

	@Test
	void limitsNameTheirPropertyWhenWrong() {
		assertThatIllegalArgumentException().isThrownBy(() -> new Limits(0, Duration.ofHours(1)))
			.withMessageContaining("celeriac.control.revoked.max-count");
		assertThatIllegalArgumentException().isThrownBy(() -> new Limits(10, Duration.ZERO))
			.withMessageContaining("celeriac.control.revoked.max-age");
	}

	/**
	 * Returns a new task id.
	 * @return the id
	 */
	protected static String id() {
		return UUID.randomUUID().toString();
	}

}
