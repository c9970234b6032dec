package io.celeriac.cache.redis;

import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.jspecify.annotations.Nullable;

/**
 * Fresh entries of some regions of a {@link RedisCacheStore}, kept in this process's
 * memory so that a hit does not ask Redis. The copies stay coherent with Redis because
 * Redis tells {@link InvalidationTracking} about every change to a region's entries and
 * invalidation times (server-assisted client-side caching), and this store drops its own
 * changes at once. The copies are used only while tracking is on: losing the connection
 * that receives the invalidations clears them.
 * <p>
 * A copy is added only if nothing of its region was invalidated between the moment its
 * lookup started ({@link #generation}) and the moment it is added, so that a copy read
 * just before a change whose invalidation overtook it is never kept. A region holds at
 * most its maximum number of entries; past it, an arbitrary entry makes room.
 *
 * @author Celeriac team
 */
final class NearCache {

	/**
	 * The generation of a region that is not kept here or while tracking is off: a copy
	 * read under it is never added.
	 */
	static final long NOT_TRACKED = -1;

	private final String keyPrefix;

	private final Map<String, Region> regions;

	private volatile boolean tracking;

	/**
	 * Creates a near cache that is empty and not used until tracking is on.
	 * @param keyPrefix the store's key prefix
	 * @param maxEntries the regions kept, each with the most entries it holds
	 */
	NearCache(String keyPrefix, Map<String, Integer> maxEntries) {
		this.keyPrefix = keyPrefix;
		Map<String, Region> regions = new ConcurrentHashMap<>();
		maxEntries.forEach((region, max) -> regions.put(region, new Region(max)));
		this.regions = Map.copyOf(regions);
	}

	/**
	 * Returns the key prefixes Redis is to report changes of: each kept region's entries
	 * and invalidation times.
	 * @return the prefixes
	 */
	List<String> trackedPrefixes() {
		return this.regions.keySet()
			.stream()
			.sorted()
			.flatMap((region) -> List.of(regionKey(region) + "entry:", regionKey(region) + "invalidated").stream())
			.toList();
	}

	boolean keeps(String region) {
		return this.regions.containsKey(region);
	}

	boolean tracking() {
		return this.tracking;
	}

	/**
	 * Returns the copy of an entry, or {@code null} when there is none or tracking is
	 * off.
	 * @param region the region
	 * @param entryKey the entry's Redis key
	 * @return the copy, or {@code null}
	 */
	@Nullable Entry get(String region, String entryKey) {
		Region kept = this.regions.get(region);
		if (kept == null || !this.tracking) {
			return null;
		}
		return kept.entries.get(entryKey);
	}

	/**
	 * Returns the region's generation before a lookup whose value may be added.
	 * @param region the region
	 * @return the generation, or {@link #NOT_TRACKED}
	 */
	long generation(String region) {
		Region kept = this.regions.get(region);
		if (kept == null || !this.tracking) {
			return NOT_TRACKED;
		}
		synchronized (kept) {
			return kept.generation;
		}
	}

	/**
	 * Adds a copy read by a lookup, unless something in its region was invalidated since
	 * the lookup started or tracking went off.
	 * @param region the region
	 * @param entryKey the entry's Redis key
	 * @param entry the copy
	 * @param generation the region's generation when the lookup started
	 */
	void add(String region, String entryKey, Entry entry, long generation) {
		Region kept = this.regions.get(region);
		if (kept == null || generation == NOT_TRACKED) {
			return;
		}
		synchronized (kept) {
			if (kept.generation != generation || !this.tracking) {
				return;
			}
			if (kept.entries.size() >= kept.maxEntries && !kept.entries.containsKey(entryKey)) {
				Iterator<String> any = kept.entries.keySet().iterator();
				if (any.hasNext()) {
					any.next();
					any.remove();
				}
			}
			kept.entries.put(entryKey, entry);
		}
	}

	/**
	 * Drops the copy of one entry.
	 * @param region the region
	 * @param entryKey the entry's Redis key
	 */
	void dropEntry(String region, String entryKey) {
		Region kept = this.regions.get(region);
		if (kept != null) {
			synchronized (kept) {
				kept.generation++;
				kept.entries.remove(entryKey);
			}
		}
	}

	/**
	 * Drops the copies of one function's entries.
	 * @param region the region
	 * @param namespace the function's namespace
	 */
	void dropFunction(String region, String namespace) {
		Region kept = this.regions.get(region);
		if (kept != null) {
			synchronized (kept) {
				kept.generation++;
				kept.entries.values().removeIf((entry) -> entry.namespace().equals(namespace));
			}
		}
	}

	/**
	 * Drops every copy of a region.
	 * @param region the region
	 */
	void dropRegion(String region) {
		Region kept = this.regions.get(region);
		if (kept != null) {
			synchronized (kept) {
				kept.generation++;
				kept.entries.clear();
			}
		}
	}

	/**
	 * Drops what a change to a Redis key makes out of date, as Redis reports it.
	 * @param key the changed key, or {@code null} when Redis reports that every key may
	 * have changed (a flush)
	 */
	void changed(@Nullable String key) {
		if (key == null) {
			this.regions.keySet().forEach(this::dropRegion);
			return;
		}
		String start = this.keyPrefix + "cache:{";
		int close = key.indexOf("}:", start.length());
		if (!key.startsWith(start) || close < 0) {
			return;
		}
		String region = key.substring(start.length(), close);
		String rest = key.substring(close + 2);
		if (rest.startsWith("entry:")) {
			dropEntry(region, key);
		}
		else if (rest.equals("invalidated")) {
			dropRegion(region);
		}
		else if (rest.startsWith("invalidated:")) {
			dropFunction(region, rest.substring("invalidated:".length()));
		}
	}

	/**
	 * Turns the use of the copies on or off. Either way every copy is dropped: those kept
	 * before tracking went off may have missed invalidations.
	 * @param tracking whether Redis now reports every change
	 */
	void tracking(boolean tracking) {
		if (!tracking) {
			this.tracking = false;
		}
		this.regions.keySet().forEach(this::dropRegion);
		this.tracking = tracking;
	}

	/**
	 * Returns how many copies a region holds.
	 * @param region the region
	 * @return the number of copies
	 */
	int size(String region) {
		Region kept = this.regions.get(region);
		return (kept != null) ? kept.entries.size() : 0;
	}

	private String regionKey(String region) {
		return this.keyPrefix + "cache:{" + region + "}:";
	}

	/**
	 * The copy of a fresh entry.
	 *
	 * @param namespace the function's namespace
	 * @param createdAt when the entry was created, in milliseconds of the server's clock
	 * @param value the JSON value
	 */
	record Entry(String namespace, long createdAt, String value) {

	}

	/**
	 * The copies of one region, and a generation that every invalidation advances.
	 */
	private static final class Region {

		private final Map<String, Entry> entries = new ConcurrentHashMap<>();

		private final int maxEntries;

		private long generation;

		Region(int maxEntries) {
			this.maxEntries = maxEntries;
		}

	}

}
