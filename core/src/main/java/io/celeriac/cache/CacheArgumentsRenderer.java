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
 * arguments.
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
					"The arguments of a cached call cannot be written as JSON to make its key: " + ex.getMessage(), ex);
		}
	}

}
