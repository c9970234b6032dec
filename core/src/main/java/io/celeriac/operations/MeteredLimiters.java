package io.celeriac.operations;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import io.celeriac.limit.LimiterDefinition;
import io.celeriac.limit.Limiter;
import io.celeriac.limit.Limiters;
import io.celeriac.limit.Permit;
import io.celeriac.limit.PermitTimeoutException;
import io.celeriac.limit.RateDecision;
import io.celeriac.limit.RateLimitDefinition;
import io.celeriac.limit.RateLimiter;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * {@link Limiters} whose limiters count the calls they turn away,
 * {@code celeriac.limiter.rejections{limiter, kind=concurrency|rate}}: a
 * {@code tryAcquire} refused, or an {@code acquire} that timed out. Limiter names are
 * tags (they are the application's configured limiters); holder keys are not.
 *
 * @author Celeriac team
 */
public class MeteredLimiters implements Limiters {

	/**
	 * The counter of rejections.
	 */
	public static final String REJECTIONS = "celeriac.limiter.rejections";

	private final Limiters delegate;

	private final MeterRegistry registry;

	private final Map<String, Limiter> limiters = new ConcurrentHashMap<>();

	private final Map<String, RateLimiter> rateLimiters = new ConcurrentHashMap<>();

	/**
	 * Wraps limiters.
	 * @param delegate the limiters that limit
	 * @param registry where the meters go
	 */
	public MeteredLimiters(Limiters delegate, MeterRegistry registry) {
		this.delegate = delegate;
		this.registry = registry;
	}

	/**
	 * Returns the wrapped limiters.
	 * @return the limiters
	 */
	public Limiters delegate() {
		return this.delegate;
	}

	@Override
	public Limiter limiter(String name) {
		return this.limiters.computeIfAbsent(name, (ignored) -> metered(this.delegate.limiter(name)));
	}

	@Override
	public Limiter limiter(String name, LimiterDefinition definition) {
		return metered(this.delegate.limiter(name, definition));
	}

	@Override
	public RateLimiter rateLimiter(String name) {
		return this.rateLimiters.computeIfAbsent(name, (ignored) -> metered(this.delegate.rateLimiter(name)));
	}

	@Override
	public RateLimiter rateLimiter(String name, RateLimitDefinition definition) {
		return metered(this.delegate.rateLimiter(name, definition));
	}

	private Limiter metered(Limiter limiter) {
		return new MeteredLimiter(limiter, rejections(limiter.name(), "concurrency"));
	}

	private RateLimiter metered(RateLimiter limiter) {
		return new MeteredRateLimiter(limiter, rejections(limiter.name(), "rate"));
	}

	private Counter rejections(String limiter, String kind) {
		return Counter.builder(REJECTIONS)
			.description("Calls a limiter turned away")
			.tag("limiter", limiter)
			.tag("kind", kind)
			.register(this.registry);
	}

	private record MeteredLimiter(Limiter delegate, Counter rejections) implements Limiter {

		@Override
		public String name() {
			return this.delegate.name();
		}

		@Override
		public int limit() {
			return this.delegate.limit();
		}

		@Override
		public Duration expires() {
			return this.delegate.expires();
		}

		@Override
		public Optional<Permit> tryAcquire(String key) {
			Optional<Permit> permit = this.delegate.tryAcquire(key);
			if (permit.isEmpty()) {
				this.rejections.increment();
			}
			return permit;
		}

		@Override
		public Permit acquire(String key, Duration timeout) {
			try {
				return this.delegate.acquire(key, timeout);
			}
			catch (PermitTimeoutException ex) {
				this.rejections.increment();
				throw ex;
			}
		}

		@Override
		public boolean release(String key) {
			return this.delegate.release(key);
		}

		@Override
		public int holders() {
			return this.delegate.holders();
		}

	}

	private record MeteredRateLimiter(RateLimiter delegate, Counter rejections) implements RateLimiter {

		@Override
		public String name() {
			return this.delegate.name();
		}

		@Override
		public int limit() {
			return this.delegate.limit();
		}

		@Override
		public Duration period() {
			return this.delegate.period();
		}

		@Override
		public RateDecision tryAcquire(String key) {
			RateDecision decision = this.delegate.tryAcquire(key);
			if (!decision.allowed()) {
				this.rejections.increment();
			}
			return decision;
		}

		@Override
		public void acquire(String key, Duration timeout) {
			try {
				this.delegate.acquire(key, timeout);
			}
			catch (PermitTimeoutException ex) {
				this.rejections.increment();
				throw ex;
			}
		}

		@Override
		public Duration reserve(String key) {
			// a reservation is never refused: it only waits for its turn
			return this.delegate.reserve(key);
		}

	}

}
