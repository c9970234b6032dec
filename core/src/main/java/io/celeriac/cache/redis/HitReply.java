package io.celeriac.cache.redis;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import io.lettuce.core.KeyValue;
import org.jspecify.annotations.Nullable;

/**
 * The reply of the {@code MGET} that answers a hit without the lookup script: an entry
 * and its region's and function's invalidation times, which Redis reads atomically. It
 * tells whether the entry is fresh, parsing its creation time from the stored bytes
 * without decoding them first.
 *
 * @param values the entry, the region's invalidation time and the function's, in this
 * order
 * @author Celeriac team
 */
record HitReply(List<KeyValue<byte[], byte[]>> values) {

	/**
	 * Returns the entry if it is fresh: created after both invalidations and less than
	 * its expiration ago.
	 * @param expires how long the entry is fresh
	 * @param now the server's time, in milliseconds
	 * @param namespace the function's namespace
	 * @return the entry, or {@code null} when it is absent, unreadable or not fresh
	 */
	NearCache.@Nullable Entry freshEntry(Duration expires, long now, String namespace) {
		KeyValue<byte[], byte[]> found = this.values.get(0);
		if (!found.hasValue()) {
			return null;
		}
		byte[] stored = found.getValue();
		int colon = indexOfColon(stored);
		if (colon < 1) {
			return null;
		}
		long created = parseLong(stored, 0, colon);
		if (created == Long.MIN_VALUE || created <= millis(this.values.get(1)) || created <= millis(this.values.get(2))
				|| now - created >= expires.toMillis()) {
			return null;
		}
		return new NearCache.Entry(namespace, created,
				new String(stored, colon + 1, stored.length - colon - 1, StandardCharsets.UTF_8));
	}

	private static int indexOfColon(byte[] bytes) {
		for (int i = 0; i < bytes.length; i++) {
			if (bytes[i] == ':') {
				return i;
			}
		}
		return -1;
	}

	/**
	 * Parses the decimal digits of {@code bytes[from, to)}, or returns
	 * {@link Long#MIN_VALUE} when they are not a number.
	 */
	private static long parseLong(byte[] bytes, int from, int to) {
		boolean negative = to > from && bytes[from] == '-';
		int start = negative ? from + 1 : from;
		if (start >= to || to - start > 18) {
			return Long.MIN_VALUE;
		}
		long value = 0;
		for (int i = start; i < to; i++) {
			int digit = bytes[i] - '0';
			if (digit < 0 || digit > 9) {
				return Long.MIN_VALUE;
			}
			value = value * 10 + digit;
		}
		return negative ? -value : value;
	}

	private static long millis(KeyValue<byte[], byte[]> value) {
		if (!value.hasValue()) {
			return Long.MIN_VALUE;
		}
		byte[] text = value.getValue();
		long millis = parseLong(text, 0, text.length);
		// not a number (a hash of an earlier layout reads as absent in the script too)
		return (millis != Long.MIN_VALUE) ? millis : Long.parseLong(new String(text, StandardCharsets.UTF_8));
	}

}
