package io.celeriac.cache.micrometer;

import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.celeriac.cache.CacheMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.jspecify.annotations.Nullable;

/**
 * Records cache region outcomes as Micrometer counters:
 * {@code celeriac.cache.gets{region, namespace, result=hit|miss|stale}},
 * {@code celeriac.cache.near.hits{region, namespace}} (the hits, counted among
 * {@code result=hit} too, that the near cache answered from this process's memory) and
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
	 * Name of the counter of hits answered by the near cache.
	 */
	public static final String NEAR_HITS = "celeriac.cache.near.hits";

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
		if (result == Result.NEAR_HIT) {
			counter(new Tags(NEAR_HITS, region, namespace, null, null)).increment();
			result = Result.HIT;
		}
		counter(new Tags(GETS, region, namespace, "result", result.name())).increment();
	}

	@Override
	public void uncached(String region, String namespace, Uncached reason) {
		counter(new Tags(UNCACHED, region, namespace, "reason", reason.name())).increment();
	}

	private Counter counter(Tags tags) {
		Counter counter = this.counters.get(tags);
		if (counter == null) {
			counter = this.counters.computeIfAbsent(tags, (key) -> {
				Counter.Builder builder = Counter.builder(key.name()).description(switch (key.name()) {
					case GETS -> "Cached calls by outcome";
					case NEAR_HITS -> "Hits answered by the near cache, in this process's memory";
					default -> "Calls that ran uncached because the cache store failed";
				}).tag("region", key.region()).tag("namespace", key.namespace());
				String kind = key.kind();
				String value = key.value();
				if (kind != null && value != null) {
					builder.tag(kind, value.toLowerCase(Locale.ROOT));
				}
				return builder.register(this.registry);
			});
		}
		return counter;
	}

	private record Tags(String name, String region, String namespace, @Nullable String kind, @Nullable String value) {

	}

}
