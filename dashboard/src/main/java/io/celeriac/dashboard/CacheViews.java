package io.celeriac.dashboard;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.celeriac.cache.CacheRegionSettings;
import io.celeriac.cache.CacheRegions;
import io.celeriac.cache.CacheStatistics;
import org.jspecify.annotations.Nullable;

/**
 * Turns the cache regions' statistics into what the caches page shows, and invalidates a
 * region.
 *
 * @author Celeriac team
 */
public class CacheViews {

	private final @Nullable CacheRegions cache;

	/**
	 * Creates the views.
	 * @param cache the cache regions, or {@code null} when the application has none
	 */
	public CacheViews(@Nullable CacheRegions cache) {
		this.cache = cache;
	}

	/**
	 * Reads every configured region's statistics, summed over its namespaces.
	 * @return the regions
	 */
	public RegionsView regions() {
		if (this.cache == null || this.cache.settings().regions().isEmpty()) {
			return new RegionsView(false, List.of());
		}
		Map<String, List<CacheStatistics>> byRegion = new TreeMap<>();
		this.cache.settings().regions().keySet().forEach((region) -> byRegion.put(region, new ArrayList<>()));
		for (CacheStatistics statistics : this.cache.statistics()) {
			byRegion.computeIfAbsent(statistics.region(), (region) -> new ArrayList<>()).add(statistics);
		}
		Map<String, CacheRegionSettings> settings = this.cache.settings().regions();
		List<RegionView> regions = new ArrayList<>();
		byRegion.forEach((region, namespaces) -> {
			CacheRegionSettings regionSettings = settings.get(region);
			regions.add(new RegionView(region, (regionSettings != null) ? regionSettings.expires().toString() : null,
					namespaces.stream().mapToLong(CacheStatistics::hits).sum(),
					namespaces.stream().mapToLong(CacheStatistics::misses).sum(),
					namespaces.stream().mapToLong(CacheStatistics::staleServes).sum(),
					namespaces.stream()
						.map((statistics) -> new NamespaceView(statistics.namespace(), statistics.hits(),
								statistics.misses(), statistics.staleServes()))
						.toList()));
		});
		return new RegionsView(true, regions);
	}

	/**
	 * Invalidates every entry of a region.
	 * @param region the region's name
	 * @throws IllegalStateException if the application has no cache regions
	 * @throws io.celeriac.cache.CacheConfigurationException if the region is not
	 * configured
	 */
	public void invalidate(String region) {
		if (this.cache == null) {
			throw new IllegalStateException("This application has no cache regions (celeriac.cache.regions)");
		}
		this.cache.invalidateRegion(region);
	}

	/**
	 * The cache regions.
	 *
	 * @param available whether the application has cache regions configured
	 * @param regions the configured regions, by name
	 */
	public record RegionsView(boolean available, List<RegionView> regions) {

	}

	/**
	 * One region.
	 *
	 * @param name its name
	 * @param expires how long its entries stay fresh (ISO 8601 duration)
	 * @param hits calls answered with a fresh value
	 * @param misses calls that computed the value
	 * @param stale calls answered with an expired value while another regenerated it
	 * @param namespaces the same figures per namespace
	 */
	public record RegionView(String name, @Nullable String expires, long hits, long misses, long stale,
			List<NamespaceView> namespaces) {

	}

	/**
	 * One namespace of a region.
	 *
	 * @param namespace the namespace
	 * @param hits calls answered with a fresh value
	 * @param misses calls that computed the value
	 * @param stale calls answered with an expired value
	 */
	public record NamespaceView(String namespace, long hits, long misses, long stale) {

	}

}
