package io.celeriac.test.lock;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.celeriac.lock.DistributedLock;
import io.celeriac.lock.HeldLock;
import io.celeriac.lock.LockTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The contract of {@link DistributedLock}: every backend's test extends this class and
 * supplies the lock under test.
 *
 * @author Celeriac team
 */
public abstract class DistributedLockContractTests {

	private static final Duration LONG = Duration.ofSeconds(30);

	private static final Duration SHORT = Duration.ofMillis(300);

	private ExecutorService executor = Executors.newCachedThreadPool();

	/**
	 * Returns the lock under test; the same instance for a whole test.
	 * @return the lock
	 */
	protected abstract DistributedLock lock();

	/**
	 * Returns a second lock instance on the same store, standing for another process. By
	 * default the same instance.
	 * @return another lock on the same store
	 */
	protected DistributedLock otherProcess() {
		return lock();
	}

	@BeforeEach
	void startThreads() {
		this.executor = Executors.newCachedThreadPool();
	}

	@AfterEach
	void stopThreads() throws InterruptedException {
		this.executor.shutdownNow();
		this.executor.awaitTermination(10, TimeUnit.SECONDS);
	}

	@Test
	void aFreeLockIsTakenAndAHeldOneIsNot() {
		String key = key();
		Optional<HeldLock> first = lock().tryAcquire(key, LONG);
		assertThat(first).isPresent();
		assertThat(first.get().key()).isEqualTo(key);
		assertThat(lock().isLocked(key)).isTrue();
		assertThat(otherProcess().tryAcquire(key, LONG)).isEmpty();
		assertThat(first.get().release()).isTrue();
		assertThat(lock().isLocked(key)).isFalse();
		assertThat(otherProcess().tryAcquire(key, LONG)).isPresent();
	}

	@Test
	void closingTheHandleReleasesTheLock() {
		String key = key();
		try (HeldLock held = lock().acquire(key, LONG, Duration.ZERO)) {
			assertThat(held.isHeld()).isTrue();
		}
		assertThat(lock().isLocked(key)).isFalse();
	}

	@Test
	void differentKeysAreIndependent() {
		assertThat(lock().tryAcquire(key(), LONG)).isPresent();
		assertThat(lock().tryAcquire(key(), LONG)).isPresent();
	}

	@Test
	void anUnreleasedLockExpires() {
		String key = key();
		assertThat(lock().tryAcquire(key, SHORT)).isPresent();
		await().atMost(Duration.ofSeconds(5)).until(() -> otherProcess().tryAcquire(key, LONG).isPresent());
	}

	@Test
	void onlyTheOwnerReleasesEvenAfterItsLockExpired() {
		String key = key();
		HeldLock expired = lock().tryAcquire(key, SHORT).orElseThrow();
		HeldLock[] next = new HeldLock[1];
		await().atMost(Duration.ofSeconds(5)).until(() -> {
			next[0] = otherProcess().tryAcquire(key, LONG).orElse(null);
			return next[0] != null;
		});
		assertThat(expired.isHeld()).isFalse();
		assertThat(expired.release()).isFalse();
		assertThat(next[0].isHeld()).isTrue();
		assertThat(lock().isLocked(key)).isTrue();
	}

	@Test
	void onlyTheOwnerExtends() {
		String key = key();
		HeldLock expired = lock().tryAcquire(key, SHORT).orElseThrow();
		await().atMost(Duration.ofSeconds(5)).until(() -> !lock().isLocked(key));
		assertThat(expired.extend(LONG)).isFalse();
		HeldLock next = otherProcess().tryAcquire(key, LONG).orElseThrow();
		assertThat(expired.extend(LONG)).isFalse();
		assertThat(next.extend(LONG)).isTrue();
	}

	@Test
	void anExtendedLockOutlivesItsFirstExpiry() {
		String key = key();
		HeldLock held = lock().tryAcquire(key, SHORT).orElseThrow();
		assertThat(held.extend(LONG)).isTrue();
		await().during(SHORT.multipliedBy(3)).atMost(Duration.ofSeconds(5)).until(held::isHeld);
		assertThat(otherProcess().tryAcquire(key, LONG)).isEmpty();
	}

	@Test
	void theWatchdogKeepsTheLockWhileItsHolderLives() {
		String key = key();
		HeldLock held = lock().tryAcquire(key, SHORT).orElseThrow().keepAlive();
		await().during(SHORT.multipliedBy(4)).atMost(Duration.ofSeconds(5)).until(held::isHeld);
		assertThat(otherProcess().tryAcquire(key, LONG)).isEmpty();
		assertThat(held.release()).isTrue();
		assertThat(otherProcess().tryAcquire(key, LONG)).isPresent();
	}

	@Test
	void fencingTokensGrowWithEveryAcquisitionOfAKey() {
		String key = key();
		List<Long> tokens = new ArrayList<>();
		for (int i = 0; i < 5; i++) {
			try (HeldLock held = ((i % 2 == 0) ? lock() : otherProcess()).acquire(key, LONG, Duration.ZERO)) {
				tokens.add(held.fencingToken());
			}
		}
		HeldLock expiring = lock().tryAcquire(key, SHORT).orElseThrow();
		tokens.add(expiring.fencingToken());
		HeldLock[] next = new HeldLock[1];
		await().atMost(Duration.ofSeconds(5)).until(() -> {
			next[0] = otherProcess().tryAcquire(key, LONG).orElse(null);
			return next[0] != null;
		});
		tokens.add(next[0].fencingToken());
		assertThat(tokens).isSorted().doesNotHaveDuplicates();
	}

	@Test
	void aWaiterIsWokenWhenTheLockIsReleasedLongBeforeItExpires() throws Exception {
		String key = key();
		HeldLock held = lock().tryAcquire(key, Duration.ofMinutes(5)).orElseThrow();
		CompletableFuture<HeldLock> waiter = CompletableFuture.supplyAsync(
				() -> otherProcess().acquire(key, Duration.ofMinutes(5), Duration.ofSeconds(20)), this.executor);
		await().during(Duration.ofMillis(200)).atMost(Duration.ofSeconds(5)).until(() -> !waiter.isDone());
		held.release();
		// the holder's lock would only expire after five minutes: only a release notice
		// wakes the waiter
		HeldLock next = waiter.get(15, TimeUnit.SECONDS);
		assertThat(next.isHeld()).isTrue();
		assertThat(next.fencingToken()).isGreaterThan(held.fencingToken());
	}

	@Test
	void aWaiterTakesTheLockWhenItsHolderLetsItExpire() throws Exception {
		String key = key();
		assertThat(lock().tryAcquire(key, SHORT)).isPresent();
		HeldLock next = otherProcess().acquire(key, LONG, Duration.ofSeconds(10));
		assertThat(next.isHeld()).isTrue();
	}

	@Test
	void aWaiterGivesUpAfterTheTimeout() {
		String key = key();
		assertThat(lock().tryAcquire(key, LONG)).isPresent();
		assertThatThrownBy(() -> otherProcess().acquire(key, LONG, Duration.ofMillis(200)))
			.isInstanceOf(LockTimeoutException.class)
			.hasMessageContaining(key)
			.satisfies((ex) -> assertThat(((LockTimeoutException) ex).getKey()).isEqualTo(key));
	}

	@Test
	void locksAreNotReentrant() {
		String key = key();
		assertThat(lock().tryAcquire(key, LONG)).isPresent();
		assertThat(lock().tryAcquire(key, LONG)).isEmpty();
	}

	@Test
	void releasingTwiceReleasesOnce() {
		String key = key();
		HeldLock held = lock().tryAcquire(key, LONG).orElseThrow();
		assertThat(held.release()).isTrue();
		HeldLock next = otherProcess().tryAcquire(key, LONG).orElseThrow();
		assertThat(held.release()).isFalse();
		assertThat(next.isHeld()).isTrue();
	}

	@Test
	void threadsNeverOverlapInsideTheLock() throws Exception {
		String key = key();
		AtomicInteger inside = new AtomicInteger();
		AtomicInteger overlaps = new AtomicInteger();
		int[] counter = { 0 };
		List<Future<?>> workers = new ArrayList<>();
		for (int thread = 0; thread < 8; thread++) {
			DistributedLock locks = (thread % 2 == 0) ? lock() : otherProcess();
			workers.add(this.executor.submit(() -> {
				for (int i = 0; i < 25; i++) {
					try (HeldLock held = locks.acquire(key, LONG, Duration.ofSeconds(30))) {
						if (inside.incrementAndGet() > 1) {
							overlaps.incrementAndGet();
						}
						int seen = counter[0];
						Thread.yield();
						counter[0] = seen + 1;
						inside.decrementAndGet();
					}
				}
				return null;
			}));
		}
		for (Future<?> worker : workers) {
			worker.get(60, TimeUnit.SECONDS);
		}
		assertThat(overlaps).hasValue(0);
		assertThat(counter[0]).isEqualTo(8 * 25);
	}

	@Test
	void badArgumentsAreRejectedWithAClearMessage() {
		assertThatIllegalArgumentException().isThrownBy(() -> lock().tryAcquire("", LONG)).withMessageContaining("key");
		assertThatIllegalArgumentException().isThrownBy(() -> lock().tryAcquire(key(), Duration.ZERO))
			.withMessageContaining("expiry");
		assertThatIllegalArgumentException().isThrownBy(() -> lock().acquire(key(), LONG, Duration.ofSeconds(-1)))
			.withMessageContaining("Timeout");
	}

	/**
	 * Returns a key no other test uses.
	 * @return a unique key
	 */
	protected String key() {
		return "contract-" + UUID.randomUUID();
	}

}
