package io.celeriac.cache;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.MapperFeature;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Renders a call's arguments as the key of its cache entry: the arguments as a JSON
 * array, with map entries and object properties sorted by name so that equal arguments
 * always render alike. {@code square(7)} renders as {@code [7]}, {@code load("fred", 10)}
 * as {@code ["fred",10]}, and a record argument as its JSON object, e.g.
 * {@code [{"x":1,"y":2}]}. Sets render in their iteration order, so use sorted sets as
 * arguments. An argument with no property to write is refused rather than rendered as
 * {@code {}}, which every such argument would share.
 *
 * @author Celeriac team
 */
public final class CacheArgumentsRenderer {

	private final JsonMapper mapper;

	/**
	 * Creates a renderer that writes JSON as the given mapper does, with sorted map
	 * entries and properties.
	 * @param mapper the application's JSON mapper
	 */
	public CacheArgumentsRenderer(JsonMapper mapper) {
		this.mapper = mapper.rebuild()
			// an argument with nothing to write would render as {} and share one entry
			// with
			// every other such argument
			.enable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
			.enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
			.enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
			.build();
	}

	/**
	 * Renders arguments as a cache key.
	 * @param arguments the call's arguments
	 * @return their JSON array
	 * @throws CacheConfigurationException if an argument cannot be written as JSON
	 */
	public String render(@Nullable Object[] arguments) {
		try {
			return this.mapper.writeValueAsString(arguments);
		}
		catch (JacksonException ex) {
			throw new CacheConfigurationException(
					"The arguments of a cached call cannot be written as JSON to make its "
							+ "key; pass arguments Jackson can write (or, with Spring's @Cacheable, set its key attribute or "
							+ "keyGenerator): " + ex.getMessage(),
					ex);
		}
	}

}
