package io.celeriac.cache;

import org.jspecify.annotations.Nullable;

/**
 * What a {@link CacheStore} found for an entry, and what the caller should do next.
 *
 * @param outcome what was found and whether the caller now holds the entry's write lock
 * @param value the JSON value found, or {@code null} when there is none
 * @param startedAt the store's clock, in milliseconds, when the lookup ran; an entry
 * regenerated after this lookup is stored as created at this time, so that an
 * invalidation that happens while it is computed still applies to it
 * @param near whether a {@link Outcome#FRESH fresh} value came from a near cache in this
 * process's memory rather than from the store's server
 * @author Celeriac team
 */
public record CacheLookup(Outcome outcome, @Nullable String value, long startedAt, boolean near) {

	/**
	 * Creates the outcome of a lookup the store's server answered.
	 * @param outcome what was found
	 * @param value the JSON value found, or {@code null}
	 * @param startedAt the store's clock when the lookup ran
	 */
	public CacheLookup(Outcome outcome, @Nullable String value, long startedAt) {
		this(outcome, value, startedAt, false);
	}

	/**
	 * What a lookup found.
	 */
	public enum Outcome {

		/**
		 * A value that has not expired: a hit.
		 */
		FRESH,

		/**
		 * An expired value whose regeneration another caller holds the lock for: the
		 * caller serves it stale.
		 */
		STALE,

		/**
		 * An expired value, and the caller now holds the lock: it regenerates the value.
		 */
		REGENERATE,

		/**
		 * No value (or an invalidated one), and the caller now holds the lock: it
		 * computes the value.
		 */
		COMPUTE,

		/**
		 * No value, and another caller holds the lock: the caller waits for that value.
		 */
		WAIT

	}

}
