package io.celeriac.limit;

import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import io.celeriac.lock.ReleaseSignals;
import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * What every {@link Limiter} backend shares: checks, permit tokens, waiting until a place
 * is released (or the first place expires) and the permit. A backend supplies the atomic
 * store operations and signals releases through the {@link ReleaseSignals} it passes in,
 * under the limiter's name.
 *
 * @author Celeriac team
 */
public abstract class AbstractLimiter implements Limiter {

	private static final Duration UNKNOWN_EXPIRY_RECHECK = Duration.ofMillis(100);

	private final String name;

	private final LimiterDefinition definition;

	private final ReleaseSignals signals;

	private final String instance = UUID.randomUUID().toString();

	private final AtomicLong permits = new AtomicLong();

	/**
	 * Creates a limiter.
	 * @param name the limiter's name
	 * @param definition its limit and expiry
	 * @param signals where releases of this limiter's places are signalled
	 */
	protected AbstractLimiter(String name, LimiterDefinition definition, ReleaseSignals signals) {
		this.name = name;
		this.definition = definition;
		this.signals = signals;
	}

	/**
	 * Takes a place for a holder if one is free and the key holds none, after pruning
	 * expired holders, all in one atomic step.
	 * @param key the holder's name
	 * @param token the token of this permit
	 * @param wait how long the caller will wait if no place is free
	 * ({@link Duration#ZERO} when it will not), so that the backend announces releases to
	 * it
	 * @return what the attempt found
	 */
	protected abstract PermitAttempt tryTake(String key, String token, Duration wait);

	/**
	 * Frees a holder's place and announces it to waiters in every process.
	 * @param key the holder's name
	 * @param token the permit's token, or {@code null} to free the place whoever holds it
	 * @return whether the key held an unexpired place (with that token)
	 */
	protected abstract boolean give(String key, @Nullable String token);

	/**
	 * Counts the holders whose places have not expired.
	 * @return the number of holders
	 */
	protected abstract int count();

	/**
	 * Wakes this process's waiters for this limiter.
	 */
	protected final void released() {
		this.signals.signal(this.name);
	}

	@Override
	public String name() {
		return this.name;
	}

	@Override
	public int limit() {
		return this.definition.limit();
	}

	@Override
	public Duration expires() {
		return this.definition.expires();
	}

	@Override
	public Optional<Permit> tryAcquire(String key) {
		checkKey(key);
		String token = nextToken();
		return tryTake(key, token, Duration.ZERO).acquired() ? Optional.of(new Held(key, token)) : Optional.empty();
	}

	@Override
	public Permit acquire(String key, Duration timeout) {
		checkKey(key);
		Assert.isTrue(timeout != null && !timeout.isNegative(), () -> "Timeout must not be negative, was " + timeout);
		String token = nextToken();
		long deadline = System.nanoTime() + timeout.toNanos();
		try (ReleaseSignals.Waiting waiting = this.signals.register(this.name)) {
			while (true) {
				long seen = waiting.generation();
				PermitAttempt attempt = tryTake(key, token,
						Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
				if (attempt.acquired()) {
					return new Held(key, token);
				}
				long remaining = deadline - System.nanoTime();
				if (remaining <= 0) {
					throw new PermitTimeoutException(this.name, key, timeout);
				}
				Duration untilExpiry = !attempt.retryWithin().isZero() && !attempt.retryWithin().isNegative()
						? attempt.retryWithin() : UNKNOWN_EXPIRY_RECHECK;
				Duration wait = Duration.ofNanos(remaining);
				waiting.await(seen, (untilExpiry.compareTo(wait) < 0) ? untilExpiry : wait);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new PermitTimeoutException(this.name, key, timeout);
		}
	}

	@Override
	public boolean release(String key) {
		checkKey(key);
		return give(key, null);
	}

	@Override
	public int holders() {
		return count();
	}

	private String nextToken() {
		return this.instance + ":" + this.permits.incrementAndGet();
	}

	private static void checkKey(String key) {
		Assert.isTrue(key != null && !key.isEmpty(), "A limiter holder's key must not be empty");
	}

	@Override
	public String toString() {
		return getClass().getSimpleName() + "[" + this.name + ", limit=" + limit() + ", expires=" + expires() + "]";
	}

	private final class Held implements Permit {

		private final String key;

		private final String token;

		private final AtomicBoolean released = new AtomicBoolean();

		Held(String key, String token) {
			this.key = key;
			this.token = token;
		}

		@Override
		public String limiter() {
			return AbstractLimiter.this.name;
		}

		@Override
		public String key() {
			return this.key;
		}

		@Override
		public boolean release() {
			return this.released.compareAndSet(false, true) && give(this.key, this.token);
		}

		@Override
		public String toString() {
			return "Permit[limiter=" + AbstractLimiter.this.name + ", key=" + this.key + "]";
		}

	}

}
