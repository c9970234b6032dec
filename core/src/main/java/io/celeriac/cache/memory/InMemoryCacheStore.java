package io.celeriac.cache.memory;

import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

import io.celeriac.cache.CacheEntryKey;
import io.celeriac.cache.CacheLookup;
import io.celeriac.cache.CacheLookup.Outcome;
import io.celeriac.cache.CacheStatistics;
import io.celeriac.cache.CacheStore;
import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * A {@link CacheStore} in this JVM's memory, for applications with no Redis and for
 * tests. It holds at most a given number of entries: once full, it drops entries past
 * their store expiration and then arbitrary ones.
 *
 * @author Celeriac team
 */
public class InMemoryCacheStore implements CacheStore {

	private final Clock clock;

	private final int maximumEntries;

	private final Map<CacheEntryKey, Entry> entries = new ConcurrentHashMap<>();

	private final Map<CacheEntryKey, Lock> locks = new ConcurrentHashMap<>();

	private final Map<String, Long> regionInvalidations = new ConcurrentHashMap<>();

	private final Map<Namespace, Long> functionInvalidations = new ConcurrentHashMap<>();

	private final Map<Namespace, Counts> statistics = new ConcurrentHashMap<>();

	/**
	 * Creates a store on the system clock.
	 * @param maximumEntries how many entries it holds at most
	 */
	public InMemoryCacheStore(int maximumEntries) {
		this(Clock.systemUTC(), maximumEntries);
	}

	/**
	 * Creates a store on the given clock.
	 * @param clock the clock entries are timed with
	 * @param maximumEntries how many entries it holds at most
	 */
	public InMemoryCacheStore(Clock clock, int maximumEntries) {
		Assert.isTrue(maximumEntries > 0, "The in-memory cache needs room for at least one entry");
		this.clock = clock;
		this.maximumEntries = maximumEntries;
	}

	@Override
	public CacheLookup lookup(CacheEntryKey key, Duration expires, String lockToken, Duration lockExpires,
			boolean statistics) {
		long now = this.clock.millis();
		Entry entry = valid(key, now);
		if (entry != null && now - entry.createdAt() < expires.toMillis()) {
			count(key, statistics, Outcome.FRESH);
			return new CacheLookup(Outcome.FRESH, entry.value(), now);
		}
		Outcome[] outcome = new Outcome[1];
		Entry[] found = new Entry[1];
		// the lock map's compute serializes the decision per key, as the Redis script
		// does
		this.locks.compute(key, (ignored, lock) -> {
			Entry current = valid(key, now);
			found[0] = current;
			if (current != null && now - current.createdAt() < expires.toMillis()) {
				outcome[0] = Outcome.FRESH;
				return lock;
			}
			boolean free = lock == null || lock.expiresAt() <= now;
			if (current != null) {
				outcome[0] = free ? Outcome.REGENERATE : Outcome.STALE;
			}
			else {
				outcome[0] = free ? Outcome.COMPUTE : Outcome.WAIT;
			}
			return free ? new Lock(lockToken, now + lockExpires.toMillis()) : lock;
		});
		count(key, statistics, outcome[0]);
		Entry current = found[0];
		return new CacheLookup(outcome[0], (current != null) ? current.value() : null, now);
	}

	private @Nullable Entry valid(CacheEntryKey key, long now) {
		Entry entry = this.entries.get(key);
		if (entry == null) {
			return null;
		}
		if (entry.storeExpiresAt() <= now) {
			this.entries.remove(key, entry);
			return null;
		}
		long invalidated = Math.max(this.regionInvalidations.getOrDefault(key.region(), Long.MIN_VALUE),
				this.functionInvalidations.getOrDefault(new Namespace(key.region(), key.namespace()), Long.MIN_VALUE));
		return (entry.createdAt() > invalidated) ? entry : null;
	}

	private void count(CacheEntryKey key, boolean statistics, Outcome outcome) {
		if (!statistics || outcome == Outcome.WAIT) {
			return;
		}
		Counts counts = this.statistics.computeIfAbsent(new Namespace(key.region(), key.namespace()),
				(ignored) -> new Counts(new LongAdder(), new LongAdder(), new LongAdder()));
		switch (outcome) {
			case FRESH -> counts.hits().increment();
			case STALE -> counts.staleServes().increment();
			default -> counts.misses().increment();
		}
	}

	@Override
	public void store(CacheEntryKey key, String value, long createdAt, Duration storeExpiration, String lockToken) {
		long now = this.clock.millis();
		this.locks.compute(key, (ignored, lock) -> {
			this.entries.put(key, new Entry(value, createdAt, now + storeExpiration.toMillis()));
			return (lock != null && lock.token().equals(lockToken)) ? null : lock;
		});
		if (this.entries.size() > this.maximumEntries) {
			makeRoom(now);
		}
	}

	private void makeRoom(long now) {
		this.entries.values().removeIf((entry) -> entry.storeExpiresAt() <= now);
		Iterator<CacheEntryKey> keys = this.entries.keySet().iterator();
		while (this.entries.size() > this.maximumEntries && keys.hasNext()) {
			keys.next();
			keys.remove();
		}
	}

	@Override
	public void release(CacheEntryKey key, String lockToken) {
		this.locks.computeIfPresent(key, (ignored, lock) -> lock.token().equals(lockToken) ? null : lock);
	}

	@Override
	public void invalidateRegion(String region) {
		this.regionInvalidations.put(region, this.clock.millis());
	}

	@Override
	public void invalidateFunction(String region, String namespace) {
		this.functionInvalidations.put(new Namespace(region, namespace), this.clock.millis());
	}

	@Override
	public void invalidateEntry(CacheEntryKey key) {
		this.entries.remove(key);
	}

	@Override
	public List<CacheStatistics> statistics(String region) {
		return this.statistics.entrySet()
			.stream()
			.filter((entry) -> entry.getKey().region().equals(region))
			.map((entry) -> new CacheStatistics(region, entry.getKey().namespace(), entry.getValue().hits().sum(),
					entry.getValue().misses().sum(), entry.getValue().staleServes().sum()))
			.sorted(Comparator.comparing(CacheStatistics::namespace))
			.toList();
	}

	private record Entry(String value, long createdAt, long storeExpiresAt) {

	}

	private record Lock(String token, long expiresAt) {

	}

	private record Namespace(String region, String namespace) {

	}

	private record Counts(LongAdder hits, LongAdder misses, LongAdder staleServes) {

	}

}
