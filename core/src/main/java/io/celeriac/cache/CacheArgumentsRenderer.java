package io.celeriac.cache;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.core.json.JsonWriteFeature;
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

	private final boolean plainRendering;

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
		// numbers written as strings would not render as the plain path renders them
		this.plainRendering = !this.mapper.isEnabled(JsonWriteFeature.WRITE_NUMBERS_AS_STRINGS);
	}

	/**
	 * Renders arguments as a cache key.
	 * @param arguments the call's arguments
	 * @return their JSON array
	 * @throws CacheConfigurationException if an argument cannot be written as JSON
	 */
	public String render(@Nullable Object[] arguments) {
		String plain = plain(arguments);
		if (plain != null) {
			return plain;
		}
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

	/**
	 * Renders arguments that are all whole numbers, booleans, {@code null} or strings of
	 * printable ASCII without quotes or backslashes exactly as Jackson does, without
	 * Jackson's per-call setup (the common keys of a hit); returns {@code null} for any
	 * other arguments.
	 */
	private @Nullable String plain(@Nullable Object[] arguments) {
		if (!this.plainRendering || arguments == null || arguments.length > 8) {
			return null;
		}
		StringBuilder json = new StringBuilder(16 * arguments.length + 2).append('[');
		for (int i = 0; i < arguments.length; i++) {
			if (i > 0) {
				json.append(',');
			}
			Object argument = arguments[i];
			if (argument == null || argument instanceof Integer || argument instanceof Long
					|| argument instanceof Boolean || argument instanceof Short || argument instanceof Byte) {
				json.append(argument);
			}
			else if (argument instanceof String text && isPlain(text)) {
				json.append('"').append(text).append('"');
			}
			else {
				return null;
			}
		}
		return json.append(']').toString();
	}

	private static boolean isPlain(String text) {
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			if (c < 0x20 || c > 0x7e || c == '"' || c == '\\') {
				return false;
			}
		}
		return true;
	}

}
