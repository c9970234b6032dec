package io.celeriac.cache.memory;

import java.time.Duration;

import io.celeriac.cache.CacheEntryKey;
import io.celeriac.cache.CacheStore;
import io.celeriac.test.cache.SpringCacheContractTests;

/**
 * Runs the Spring Cache contract on {@link InMemoryCacheStore}.
 *
 * @author Celeriac team
 */
class InMemorySpringCacheTests extends SpringCacheContractTests {

	private final InMemoryCacheStoreTests.MovableClock clock = new InMemoryCacheStoreTests.MovableClock();

	@Override
	protected CacheStore createStore() {
		return new InMemoryCacheStore(this.clock, 10_000);
	}

	@Override
	protected void age(CacheStore store, CacheEntryKey key, Duration age) {
		this.clock.advance(age);
	}

}
