package io.celeriac.cache.micrometer;

import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.celeriac.cache.CacheMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Records cache region outcomes as Micrometer counters:
 * {@code celeriac.cache.gets{region, namespace, result=hit|miss|stale}} and
 * {@code celeriac.cache.uncached{region, namespace, reason=failure|backoff}}. These count
 * this process's calls; the cluster-wide figures are in the store.
 *
 * @author Celeriac team
 */
public class MicrometerCacheMetrics implements CacheMetrics {

	/**
	 * Name of the counter of cached calls by outcome.
	 */
	public static final String GETS = "celeriac.cache.gets";

	/**
	 * Name of the counter of calls that ran uncached because the store failed.
	 */
	public static final String UNCACHED = "celeriac.cache.uncached";

	private final MeterRegistry registry;

	private final Map<Tags, Counter> counters = new ConcurrentHashMap<>();

	/**
	 * Creates metrics that register their counters in the given registry.
	 * @param registry the registry
	 */
	public MicrometerCacheMetrics(MeterRegistry registry) {
		this.registry = registry;
	}

	@Override
	public void served(String region, String namespace, Result result) {
		counter(new Tags(GETS, region, namespace, "result", result.name())).increment();
	}

	@Override
	public void uncached(String region, String namespace, Uncached reason) {
		counter(new Tags(UNCACHED, region, namespace, "reason", reason.name())).increment();
	}

	private Counter counter(Tags tags) {
		Counter counter = this.counters.get(tags);
		if (counter == null) {
			counter = this.counters.computeIfAbsent(tags,
					(key) -> Counter.builder(key.name())
						.description(GETS.equals(key.name()) ? "Cached calls by outcome"
								: "Calls that ran uncached because the cache store failed")
						.tag("region", key.region())
						.tag("namespace", key.namespace())
						.tag(key.kind(), key.value().toLowerCase(Locale.ROOT))
						.register(this.registry));
		}
		return counter;
	}

	private record Tags(String name, String region, String namespace, String kind, String value) {

	}

}
