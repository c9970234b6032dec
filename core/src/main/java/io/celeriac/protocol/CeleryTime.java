package io.celeriac.protocol;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

import org.jspecify.annotations.Nullable;

/**
 * Reads and writes the times of the {@code eta} and {@code expires} headers as Celery
 * 5.2.6 does: ISO 8601 with microseconds and offset {@code +00:00}; a naive time (no
 * offset, as Celery sends a naive {@code eta=}) is read as UTC.
 *
 * @author Celeriac team
 */
public final class CeleryTime {

	private static final DateTimeFormatter FORMAT = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSSxxx");

	private CeleryTime() {
	}

	/**
	 * Formats a time for a header.
	 * @param time the time, or {@code null}
	 * @return the text, or {@code null} for {@code null}
	 */
	public static @Nullable String format(@Nullable Instant time) {
		return (time != null) ? FORMAT.format(time.atOffset(ZoneOffset.UTC)) : null;
	}

	/**
	 * Parses a header's time.
	 * @param text the header value, or {@code null}
	 * @return the time, or {@code null} for {@code null} or blank
	 * @throws InvalidTaskMessageException if it is not an ISO 8601 time
	 */
	public static @Nullable Instant parse(@Nullable String text) {
		if (text == null || text.isBlank()) {
			return null;
		}
		try {
			return OffsetDateTime.parse(text).toInstant();
		}
		catch (DateTimeParseException ex) {
			try {
				return LocalDateTime.parse(text).toInstant(ZoneOffset.UTC);
			}
			catch (DateTimeParseException notNaive) {
				throw new InvalidTaskMessageException(ErrorKind.INVALID_HEADER,
						"Time '" + text + "' is not ISO 8601 (e.g. 2026-11-22T17:29:40.191339+00:00)", notNaive);
			}
		}
	}

	/**
	 * Returns the AMQP {@code expiration} property Celery sets with {@code expires}: the
	 * remaining lifetime in milliseconds, as a decimal string.
	 * @param expires the expiry time, or {@code null}
	 * @param now the current time
	 * @return the property, or {@code null} without expiry
	 */
	public static @Nullable String expiration(@Nullable Instant expires, Instant now) {
		if (expires == null) {
			return null;
		}
		return Long.toString(Math.max(Duration.between(now, expires).toMillis(), 0));
	}

}
