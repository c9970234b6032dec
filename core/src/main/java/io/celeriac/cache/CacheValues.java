package io.celeriac.cache;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.json.JsonMapper;

/**
 * How {@link CacheRegions} writes values as JSON and reads them back: a value that cannot
 * be written is the caller's error, a cached value that cannot be read (the class changed
 * since it was cached) is logged and treated as absent.
 *
 * @author Celeriac team
 */
final class CacheValues {

	/**
	 * What {@link #read} returns for a value it could not read.
	 */
	static final Object UNREADABLE = new Object();

	private static final Log logger = LogFactory.getLog(CacheRegions.class);

	private final JsonMapper mapper;

	/**
	 * A reader per value type, made once: reading through the mapper sets a reader up
	 * again for every call, which costs about as much as parsing a small value.
	 */
	private final Map<JavaType, ObjectReader> readers = new ConcurrentHashMap<>();

	CacheValues(JsonMapper mapper) {
		this.mapper = mapper;
	}

	/**
	 * Writes a value.
	 * @param key the entry the value is for
	 * @param value the value
	 * @return its JSON
	 * @throws CacheConfigurationException if the value cannot be written
	 */
	String write(CacheEntryKey key, @Nullable Object value) {
		try {
			return this.mapper.writeValueAsString(value);
		}
		catch (JacksonException ex) {
			throw new CacheConfigurationException("The value of " + key + " cannot be written as JSON", ex);
		}
	}

	/**
	 * Reads a cached value back.
	 * @param key the entry
	 * @param json its JSON, {@code null} when there is none
	 * @param valueType the type to read
	 * @param instead what the caller does when the value cannot be read, for the log
	 * @return the value, or {@link #UNREADABLE}
	 */
	@Nullable Object read(CacheEntryKey key, @Nullable String json, JavaType valueType, String instead) {
		if (json == null) {
			return UNREADABLE;
		}
		try {
			ObjectReader reader = this.readers.get(valueType);
			if (reader == null) {
				reader = this.readers.computeIfAbsent(valueType, this.mapper::readerFor);
			}
			return reader.readValue(json);
		}
		catch (JacksonException ex) {
			logger.warn("Could not read the cached value of " + key + " as " + valueType + "; " + instead + ": "
					+ ex.getOriginalMessage());
			return UNREADABLE;
		}
	}

}
