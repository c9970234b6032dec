package io.celeriac.cache;

import org.springframework.util.Assert;

/**
 * Identifies one cache entry: the region it lives in, the namespace of the function that
 * computed it, and the rendering of the function's arguments.
 *
 * @param region the region's name
 * @param namespace the function's namespace
 * @param arguments the arguments rendered by {@link CacheArgumentsRenderer}, e.g.
 * {@code ["fred",10]}
 * @author Celeriac team
 */
public record CacheEntryKey(String region, String namespace, String arguments) {

	public CacheEntryKey {
		CacheEntryKey.checkRegion(region);
		CacheEntryKey.checkNamespace(namespace);
	}

	static void checkRegion(String region) {
		Assert.hasText(region, "A cache region needs a name");
		Assert.isTrue(region.indexOf('{') < 0 && region.indexOf('}') < 0,
				() -> "Cache region name '" + region + "' must not contain '{' or '}'");
	}

	static void checkNamespace(String namespace) {
		Assert.hasText(namespace, "A cache namespace must not be empty");
		Assert.isTrue(!"*".equals(namespace), "A cache namespace must not be '*'");
	}

}
