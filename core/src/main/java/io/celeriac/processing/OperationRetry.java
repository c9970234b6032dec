package io.celeriac.processing;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * Thrown by an operation to run again after a countdown with new keyword arguments; see
 * {@link OperationContext#retry(Duration, Map)}.
 *
 * @author Celeriac team
 */
public final class OperationRetry extends OperationSignal {

	private final Duration countdown;

	private final Map<String, @Nullable Object> kwargs;

	OperationRetry(Duration countdown, Map<String, ? extends @Nullable Object> kwargs) {
		super("retry in " + countdown.toMillis() + " ms with " + kwargs);
		if (countdown.isNegative()) {
			throw new IllegalArgumentException("A retry countdown must not be negative, not " + countdown);
		}
		this.countdown = countdown;
		this.kwargs = Collections.unmodifiableMap(new LinkedHashMap<>(kwargs));
	}

	/**
	 * Returns how long to wait before the next run.
	 * @return the countdown
	 */
	public Duration countdown() {
		return this.countdown;
	}

	/**
	 * Returns the keyword arguments of the next run.
	 * @return the keyword arguments
	 */
	public Map<String, @Nullable Object> kwargs() {
		return this.kwargs;
	}

}
