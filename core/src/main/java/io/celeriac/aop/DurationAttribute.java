package io.celeriac.aop;

import java.lang.reflect.Method;
import java.time.Duration;

import org.jspecify.annotations.Nullable;

import org.springframework.format.datetime.standard.DurationFormatterUtils;
import org.springframework.util.StringUtils;

/**
 * Parses a duration given as an annotation attribute: {@code 30s}, {@code 2m} or ISO-8601
 * ({@code PT30S}).
 *
 * @author Celeriac team
 */
public final class DurationAttribute {

	private DurationAttribute() {
	}

	/**
	 * Parses an attribute.
	 * @param text the attribute's text
	 * @param attribute how the attribute is written, for errors, e.g.
	 * {@code @Locked(timeout = ...)}
	 * @param method the annotated method
	 * @return the duration, or {@code null} when the text is empty
	 * @throws IllegalArgumentException if the text is not a duration
	 */
	public static @Nullable Duration parse(String text, String attribute, Method method) {
		if (!StringUtils.hasText(text)) {
			return null;
		}
		try {
			return DurationFormatterUtils.detectAndParse(text.trim());
		}
		catch (RuntimeException ex) {
			throw new IllegalArgumentException(
					attribute + " = \"" + text + "\" on " + method + " is not a duration such as 30s or PT30S", ex);
		}
	}

}
