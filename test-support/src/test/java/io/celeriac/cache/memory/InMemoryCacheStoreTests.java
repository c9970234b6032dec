package io.celeriac.cache.memory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;

import io.celeriac.cache.CacheEntryKey;
import io.celeriac.cache.CacheLookup;
import io.celeriac.cache.CacheStore;
import io.celeriac.test.cache.CacheStoreContractTests;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs the cache store contract against {@link InMemoryCacheStore}.
 *
 * @author Celeriac team
 */
class InMemoryCacheStoreTests extends CacheStoreContractTests {

	private final MovableClock clock = new MovableClock();

	@Override
	protected CacheStore createStore() {
		return new InMemoryCacheStore(this.clock, 10_000);
	}

	@Override
	protected void age(CacheStore store, CacheEntryKey key, Duration age) {
		this.clock.advance(age);
	}

	@Test
	void holdsNoMoreThanItsMaximumNumberOfEntries() {
		InMemoryCacheStore small = new InMemoryCacheStore(this.clock, 3);
		for (int i = 0; i < 10; i++) {
			small.store(new CacheEntryKey("r", "n", "[" + i + "]"), "1", this.clock.millis(), Duration.ofHours(1),
					"token");
		}
		long present = 0;
		for (int i = 0; i < 10; i++) {
			CacheLookup lookup = small.lookup(new CacheEntryKey("r", "n", "[" + i + "]"), Duration.ofHours(1), "t" + i,
					Duration.ofSeconds(1), false);
			present += (lookup.outcome() == CacheLookup.Outcome.FRESH) ? 1 : 0;
		}
		assertThat(present).isEqualTo(3);
	}

	@Test
	void forgetsEntriesPastTheirStoreExpiration() {
		CacheEntryKey key = new CacheEntryKey("r", "n", "[1]");
		CacheStore store = store();
		store.store(key, "1", this.clock.millis(), Duration.ofMinutes(5), "token");
		this.clock.advance(Duration.ofMinutes(6));
		assertThat(store.lookup(key, Duration.ofMinutes(10), "t", Duration.ofSeconds(1), false).outcome())
			.isEqualTo(CacheLookup.Outcome.COMPUTE);
	}

	/**
	 * The system clock, moved forward by the tests.
	 */
	static final class MovableClock extends Clock {

		private final AtomicLong offset = new AtomicLong();

		void advance(Duration duration) {
			this.offset.addAndGet(duration.toMillis());
		}

		@Override
		public ZoneId getZone() {
			return ZoneOffset.UTC;
		}

		@Override
		public Clock withZone(ZoneId zone) {
			return this;
		}

		@Override
		public Instant instant() {
			return Instant.ofEpochMilli(millis());
		}

		@Override
		public long millis() {
			return System.currentTimeMillis() + this.offset.get();
		}

	}

}
