package io.celeriac.limit;

import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.util.Assert;

/**
 * What every {@link Limiters} backend shares: the configured definitions, checks, and one
 * instance per configured name.
 *
 * @author Celeriac team
 */
public abstract class AbstractLimiters implements Limiters {

	private final Map<String, LimiterDefinition> limiterDefinitions;

	private final Map<String, RateLimitDefinition> rateLimitDefinitions;

	private final Map<String, Limiter> limiters = new ConcurrentHashMap<>();

	private final Map<String, RateLimiter> rateLimiters = new ConcurrentHashMap<>();

	/**
	 * Creates limiters with the given configured definitions.
	 * @param limiters the configured limiters by name
	 * @param rateLimiters the configured rate limiters by name
	 */
	protected AbstractLimiters(Map<String, LimiterDefinition> limiters, Map<String, RateLimitDefinition> rateLimiters) {
		this.limiterDefinitions = Map.copyOf(limiters);
		this.rateLimitDefinitions = Map.copyOf(rateLimiters);
	}

	/**
	 * Creates the backend's limiter.
	 * @param name the limiter's name
	 * @param definition its settings
	 * @return the limiter
	 */
	protected abstract Limiter createLimiter(String name, LimiterDefinition definition);

	/**
	 * Creates the backend's rate limiter.
	 * @param name the rate limiter's name
	 * @param definition its settings
	 * @return the rate limiter
	 */
	protected abstract RateLimiter createRateLimiter(String name, RateLimitDefinition definition);

	@Override
	public Limiter limiter(String name) {
		return this.limiters.computeIfAbsent(name, (ignored) -> {
			LimiterDefinition definition = this.limiterDefinitions.get(name);
			if (definition == null) {
				throw new IllegalArgumentException("No limiter named '" + name + "' is configured (known: "
						+ new TreeSet<>(this.limiterDefinitions.keySet()) + "); set celeriac.limiter.limiters." + name
						+ ".limit");
			}
			return limiter(name, definition);
		});
	}

	@Override
	public Limiter limiter(String name, LimiterDefinition definition) {
		checkName(name);
		Assert.notNull(definition, "Limiter definition must not be null");
		return createLimiter(name, definition);
	}

	@Override
	public RateLimiter rateLimiter(String name) {
		return this.rateLimiters.computeIfAbsent(name, (ignored) -> {
			RateLimitDefinition definition = this.rateLimitDefinitions.get(name);
			if (definition == null) {
				throw new IllegalArgumentException("No rate limiter named '" + name + "' is configured (known: "
						+ new TreeSet<>(this.rateLimitDefinitions.keySet()) + "); set celeriac.limiter.rate-limiters."
						+ name + ".limit");
			}
			return rateLimiter(name, definition);
		});
	}

	@Override
	public RateLimiter rateLimiter(String name, RateLimitDefinition definition) {
		checkName(name);
		Assert.notNull(definition, "Rate limit definition must not be null");
		return createRateLimiter(name, definition);
	}

	private static void checkName(String name) {
		Assert.isTrue(name != null && !name.isEmpty(), "A limiter's name must not be empty");
	}

}
