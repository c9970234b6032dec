package io.celeriac.limit.memory;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.celeriac.limit.AbstractLimiter;
import io.celeriac.limit.AbstractLimiters;
import io.celeriac.limit.AbstractRateLimiter;
import io.celeriac.limit.Limiter;
import io.celeriac.limit.LimiterDefinition;
import io.celeriac.limit.Limiters;
import io.celeriac.limit.PermitAttempt;
import io.celeriac.limit.RateDecision;
import io.celeriac.limit.RateLimitDefinition;
import io.celeriac.limit.RateLimiter;
import io.celeriac.lock.ReleaseSignals;
import org.jspecify.annotations.Nullable;

/**
 * {@link Limiters} held in this JVM: the embedded default, correct between the threads of
 * one process and useless between processes. Expiry uses the monotonic clock.
 *
 * @author Celeriac team
 */
public class InMemoryLimiters extends AbstractLimiters {

	private static final int RATE_ENTRIES_BEFORE_SWEEP = 10_000;

	private final ReleaseSignals signals = new ReleaseSignals();

	private final Map<String, Places> places = new ConcurrentHashMap<>();

	private final Map<String, Map<String, Long>> arrivals = new ConcurrentHashMap<>();

	/**
	 * Creates limiters with no configured names.
	 */
	public InMemoryLimiters() {
		this(Map.of(), Map.of());
	}

	/**
	 * Creates limiters with the given configured definitions.
	 * @param limiters the configured limiters by name
	 * @param rateLimiters the configured rate limiters by name
	 */
	public InMemoryLimiters(Map<String, LimiterDefinition> limiters, Map<String, RateLimitDefinition> rateLimiters) {
		super(limiters, rateLimiters);
	}

	@Override
	protected Limiter createLimiter(String name, LimiterDefinition definition) {
		return new InMemoryLimiter(name, definition, this.places.computeIfAbsent(name, (ignored) -> new Places()));
	}

	@Override
	protected RateLimiter createRateLimiter(String name, RateLimitDefinition definition) {
		return new InMemoryRateLimiter(name, definition,
				this.arrivals.computeIfAbsent(name, (ignored) -> new ConcurrentHashMap<>()));
	}

	private final class InMemoryLimiter extends AbstractLimiter {

		private final Places places;

		InMemoryLimiter(String name, LimiterDefinition definition, Places places) {
			super(name, definition, InMemoryLimiters.this.signals);
			this.places = places;
		}

		@Override
		protected PermitAttempt tryTake(String key, String token, Duration wait) {
			synchronized (this.places) {
				long now = System.nanoTime();
				this.places.prune(now);
				if (this.places.holders.containsKey(key) || this.places.holders.size() >= limit()) {
					return new PermitAttempt(false, Duration.ofNanos(Math.max(1, this.places.firstExpiry() - now)));
				}
				this.places.holders.put(key, new Holder(token, now + expires().toNanos()));
				return new PermitAttempt(true, Duration.ZERO);
			}
		}

		@Override
		protected boolean give(String key, @Nullable String token) {
			boolean freed;
			synchronized (this.places) {
				Holder holder = this.places.holders.get(key);
				freed = holder != null && (token == null || holder.token().equals(token));
				if (freed) {
					this.places.holders.remove(key);
					freed = !holder.expiredAt(System.nanoTime());
				}
			}
			if (freed) {
				released();
			}
			return freed;
		}

		@Override
		protected int count() {
			synchronized (this.places) {
				this.places.prune(System.nanoTime());
				return this.places.holders.size();
			}
		}

	}

	private static final class InMemoryRateLimiter extends AbstractRateLimiter {

		private final Map<String, Long> arrivals;

		InMemoryRateLimiter(String name, RateLimitDefinition definition, Map<String, Long> arrivals) {
			super(name, definition);
			this.arrivals = arrivals;
		}

		@Override
		protected RateDecision decide(String key) {
			long interval = definition().interval().toNanos();
			long period = definition().period().toNanos();
			long now = System.nanoTime();
			long[] retryAfter = { 0 };
			this.arrivals.compute(key, (name, stored) -> {
				long arrival = (stored == null || stored - now < 0) ? now : stored;
				long allowAt = arrival + interval - period;
				if (now - allowAt < 0) {
					retryAfter[0] = allowAt - now;
					return stored;
				}
				return arrival + interval;
			});
			if (this.arrivals.size() > RATE_ENTRIES_BEFORE_SWEEP) {
				this.arrivals.values().removeIf((arrival) -> arrival - now < 0);
			}
			return (retryAfter[0] > 0) ? RateDecision.deny(Duration.ofNanos(retryAfter[0])) : RateDecision.allow();
		}

		@Override
		protected Duration reserveNext(String key) {
			long interval = definition().interval().toNanos();
			long period = definition().period().toNanos();
			long now = System.nanoTime();
			long[] wait = { 0 };
			this.arrivals.compute(key, (name, stored) -> {
				long arrival = (stored == null || stored - now < 0) ? now : stored;
				wait[0] = Math.max(0, arrival + interval - period - now);
				return arrival + interval;
			});
			return Duration.ofNanos(wait[0]);
		}

	}

	private static final class Places {

		private final Map<String, Holder> holders = new HashMap<>();

		void prune(long now) {
			this.holders.values().removeIf((holder) -> holder.expiredAt(now));
		}

		long firstExpiry() {
			return this.holders.values().stream().mapToLong(Holder::expiresAt).min().orElse(System.nanoTime());
		}

	}

	private record Holder(String token, long expiresAt) {

		boolean expiredAt(long now) {
			return now - this.expiresAt >= 0;
		}

	}

}
