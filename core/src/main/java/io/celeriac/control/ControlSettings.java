package io.celeriac.control;

import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * What a worker's remote control reports and allows.
 *
 * @param shutdownEnabled whether the {@code shutdown} command stops the worker (Celery's
 * always does; Celeriac's only when enabled)
 * @param conf what {@code inspect conf} answers: settings with Celery's names, none of
 * them secret
 * @param broker what {@code inspect stats} reports as {@code broker}: host, port,
 * transport, virtual host, never credentials
 * @author Celeriac team
 */
public record ControlSettings(boolean shutdownEnabled, Map<String, @Nullable Object> conf,
		Map<String, @Nullable Object> broker) {

	public ControlSettings {
		conf = new LinkedHashMap<>(conf);
		broker = new LinkedHashMap<>(broker);
	}

}
