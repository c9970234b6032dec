package io.celeriac.cache.redis;

import java.nio.charset.StandardCharsets;

/**
 * Conversions between the Redis cache store's strings and the bytes its byte-array Redis
 * commands take and return.
 *
 * @author Celeriac team
 */
final class Utf8 {

	private Utf8() {
	}

	static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

	static String string(Object bytes) {
		return new String((byte[]) bytes, StandardCharsets.UTF_8);
	}

}
