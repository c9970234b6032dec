package io.celeriac.test.limit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.celeriac.limit.Limiter;
import io.celeriac.limit.LimiterDefinition;
import io.celeriac.limit.Limiters;
import io.celeriac.limit.Permit;
import io.celeriac.limit.PermitTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The contract of {@link Limiter}: every backend's test extends this class and supplies
 * the {@link Limiters} under test.
 *
 * @author Celeriac team
 */
public abstract class LimiterContractTests {

	private static final Duration LONG = Duration.ofMinutes(5);

	private static final Duration SHORT = Duration.ofMillis(300);

	private ExecutorService executor = Executors.newCachedThreadPool();

	/**
	 * Returns the limiters under test; the same instance for a whole test.
	 * @return the limiters
	 */
	protected abstract Limiters limiters();

	/**
	 * Returns a second instance on the same store, standing for another process. By
	 * default the same instance.
	 * @return other limiters on the same store
	 */
	protected Limiters otherProcess() {
		return limiters();
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
	void atMostLimitHoldersHoldAPlace() {
		String name = name();
		Limiter limiter = limiters().limiter(name, 2, LONG);
		Limiter other = otherProcess().limiter(name, 2, LONG);
		Permit first = limiter.tryAcquire("a").orElseThrow();
		assertThat(other.tryAcquire("b")).isPresent();
		assertThat(limiter.tryAcquire("c")).isEmpty();
		assertThat(limiter.holders()).isEqualTo(2);
		assertThat(first.release()).isTrue();
		assertThat(other.tryAcquire("c")).isPresent();
		assertThat(other.holders()).isEqualTo(2);
	}

	@Test
	void aKeyHoldsAtMostOnePlace() {
		Limiter limiter = limiters().limiter(name(), 3, LONG);
		Permit permit = limiter.tryAcquire("a").orElseThrow();
		assertThat(limiter.tryAcquire("a")).isEmpty();
		assertThat(permit.key()).isEqualTo("a");
		assertThat(permit.limiter()).isEqualTo(limiter.name());
	}

	@Test
	void anExpiredHolderIsPrunedAndFreesItsPlace() {
		String name = name();
		Limiter limiter = limiters().limiter(name, 1, SHORT);
		assertThat(limiter.tryAcquire("dies")).isPresent();
		Limiter other = otherProcess().limiter(name, 1, LONG);
		assertThat(other.tryAcquire("next")).isEmpty();
		await().atMost(Duration.ofSeconds(5)).until(() -> other.tryAcquire("next").isPresent());
		assertThat(other.holders()).isEqualTo(1);
	}

	@Test
	void anExpiredPermitDoesNotFreeTheNextHoldersPlace() {
		String name = name();
		Limiter limiter = limiters().limiter(name, 1, SHORT);
		Permit expired = limiter.tryAcquire("same").orElseThrow();
		Limiter other = otherProcess().limiter(name, 1, LONG);
		Permit[] next = new Permit[1];
		await().atMost(Duration.ofSeconds(5)).until(() -> {
			next[0] = other.tryAcquire("same").orElse(null);
			return next[0] != null;
		});
		assertThat(expired.release()).isFalse();
		assertThat(other.holders()).isEqualTo(1);
		assertThat(next[0].release()).isTrue();
		assertThat(other.holders()).isZero();
	}

	@Test
	void releaseByKeyFreesThePlaceWhoeverTookIt() {
		String name = name();
		Limiter limiter = limiters().limiter(name, 1, LONG);
		assertThat(limiter.tryAcquire("job-1")).isPresent();
		assertThat(otherProcess().limiter(name, 1, LONG).release("job-1")).isTrue();
		assertThat(limiter.release("job-1")).isFalse();
		assertThat(limiter.tryAcquire("job-2")).isPresent();
	}

	@Test
	void aWaiterIsWokenWhenAPlaceIsReleased() throws Exception {
		String name = name();
		Limiter limiter = limiters().limiter(name, 1, LONG);
		Permit held = limiter.tryAcquire("first").orElseThrow();
		Limiter other = otherProcess().limiter(name, 1, LONG);
		CompletableFuture<Permit> waiter = CompletableFuture
			.supplyAsync(() -> other.acquire("second", Duration.ofSeconds(20)), this.executor);
		await().during(Duration.ofMillis(200)).atMost(Duration.ofSeconds(5)).until(() -> !waiter.isDone());
		held.close();
		// the first place would only expire after five minutes: only a release notice
		// wakes the waiter
		assertThat(waiter.get(15, TimeUnit.SECONDS).key()).isEqualTo("second");
	}

	@Test
	void aWaiterGivesUpAfterTheTimeout() {
		Limiter limiter = limiters().limiter(name(), 1, LONG);
		assertThat(limiter.tryAcquire("first")).isPresent();
		assertThatThrownBy(() -> limiter.acquire("second", Duration.ofMillis(200)))
			.isInstanceOf(PermitTimeoutException.class)
			.hasMessageContaining(limiter.name())
			.hasMessageContaining("second");
	}

	@Test
	void concurrentHoldersNeverExceedTheLimit() throws Exception {
		String name = name();
		AtomicInteger inside = new AtomicInteger();
		AtomicInteger most = new AtomicInteger();
		List<Future<?>> workers = new ArrayList<>();
		for (int thread = 0; thread < 8; thread++) {
			Limiter limiter = ((thread % 2 == 0) ? limiters() : otherProcess()).limiter(name, 3, LONG);
			int worker = thread;
			workers.add(this.executor.submit(() -> {
				for (int i = 0; i < 20; i++) {
					try (Permit permit = limiter.acquire("worker-" + worker, Duration.ofSeconds(30))) {
						most.accumulateAndGet(inside.incrementAndGet(), Math::max);
						Thread.yield();
						inside.decrementAndGet();
					}
				}
				return null;
			}));
		}
		for (Future<?> worker : workers) {
			worker.get(60, TimeUnit.SECONDS);
		}
		assertThat(most.get()).isBetween(1, 3);
		assertThat(limiters().limiter(name, 3, LONG).holders()).isZero();
	}

	@Test
	void configuredLimitersAreFoundByNameAndUnknownNamesAreRejected() {
		assertThatIllegalArgumentException().isThrownBy(() -> limiters().limiter("no-such-limiter"))
			.withMessageContaining("no-such-limiter")
			.withMessageContaining("celeriac.limiter.limiters");
	}

	@Test
	void badArgumentsAreRejectedWithAClearMessage() {
		assertThatIllegalArgumentException().isThrownBy(() -> new LimiterDefinition(0, LONG))
			.withMessageContaining("limit");
		assertThatIllegalArgumentException().isThrownBy(() -> new LimiterDefinition(1, Duration.ZERO))
			.withMessageContaining("expiry");
		assertThatIllegalArgumentException().isThrownBy(() -> limiters().limiter("", 1, LONG))
			.withMessageContaining("name");
		Limiter limiter = limiters().limiter(name(), 1, LONG);
		assertThatIllegalArgumentException().isThrownBy(() -> limiter.tryAcquire("")).withMessageContaining("key");
	}

	/**
	 * Returns a limiter name no other test uses.
	 * @return a unique name
	 */
	protected String name() {
		return "contract-" + UUID.randomUUID();
	}

}
