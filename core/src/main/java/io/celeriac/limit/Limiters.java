package io.celeriac.limit;

import java.time.Duration;

/**
 * The limiters and rate limiters of an application: those configured by name (in Spring
 * Boot under {@code celeriac.limiter.limiters.<name>} and
 * {@code celeriac.limiter.rate-limiters.<name>}) and any made on the fly.
 *
 * @author Celeriac team
 */
public interface Limiters {

	/**
	 * Returns a configured limiter.
	 * @param name the limiter's name
	 * @return the limiter
	 * @throws IllegalArgumentException if no limiter of that name is configured
	 */
	Limiter limiter(String name);

	/**
	 * Returns a limiter with the given settings. Every process that uses a name must use
	 * the same settings for it.
	 * @param name the limiter's name; not empty
	 * @param definition its limit and expiry
	 * @return the limiter
	 */
	Limiter limiter(String name, LimiterDefinition definition);

	/**
	 * Returns a configured rate limiter.
	 * @param name the rate limiter's name
	 * @return the rate limiter
	 * @throws IllegalArgumentException if no rate limiter of that name is configured
	 */
	RateLimiter rateLimiter(String name);

	/**
	 * Returns a rate limiter with the given settings. Every process that uses a name must
	 * use the same settings for it.
	 * @param name the rate limiter's name; not empty
	 * @param definition its limit and period
	 * @return the rate limiter
	 */
	RateLimiter rateLimiter(String name, RateLimitDefinition definition);

	/**
	 * Returns a limiter with the given settings.
	 * @param name the limiter's name
	 * @param limit how many holders may hold a place at once
	 * @param expires how long a place lasts unless released first
	 * @return the limiter
	 */
	default Limiter limiter(String name, int limit, Duration expires) {
		return limiter(name, new LimiterDefinition(limit, expires));
	}

	/**
	 * Returns a rate limiter with the given settings.
	 * @param name the rate limiter's name
	 * @param limit how many acquisitions each key may make per period
	 * @param period the period
	 * @return the rate limiter
	 */
	default RateLimiter rateLimiter(String name, int limit, Duration period) {
		return rateLimiter(name, new RateLimitDefinition(limit, period));
	}

}
