package io.celeriac.dashboard;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

import org.jspecify.annotations.Nullable;

/**
 * Reads the times people type in the task search: an ISO 8601 instant
 * ({@code 2026-12-02T05:00:00Z}), or a date and time without zone as a browser's
 * {@code datetime-local} input sends it ({@code 2026-12-02T05:00}), or a date, both read
 * in UTC.
 *
 * @author Celeriac team
 */
final class DashboardTime {

	private DashboardTime() {
	}

	static @Nullable Instant parse(@Nullable String text) {
		if (text == null || text.isBlank()) {
			return null;
		}
		String trimmed = text.trim();
		try {
			return Instant.parse(trimmed);
		}
		catch (DateTimeParseException ex) {
			// try the next form
		}
		try {
			return LocalDateTime.parse(trimmed).toInstant(ZoneOffset.UTC);
		}
		catch (DateTimeParseException ex) {
			// try the next form
		}
		try {
			return LocalDate.parse(trimmed).atStartOfDay().toInstant(ZoneOffset.UTC);
		}
		catch (DateTimeParseException ex) {
			throw new IllegalArgumentException(
					"'" + text + "' is not a time: use ISO 8601 in UTC, e.g. 2026-12-02T05:00:00Z or 2026-12-02T05:00",
					ex);
		}
	}

}
