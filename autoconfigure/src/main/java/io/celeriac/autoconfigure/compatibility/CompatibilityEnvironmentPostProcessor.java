package io.celeriac.autoconfigure.compatibility;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.util.StringUtils;

/**
 * Applies the defaults of the fleet named by {@code celeriac.compatibility} as a property
 * source of the lowest precedence, so that every property the application sets still
 * wins. With {@code cadasta}, the settings of cadasta-workertoolbox's {@code Config}.
 *
 * @author Celeriac team
 */
public class CompatibilityEnvironmentPostProcessor implements EnvironmentPostProcessor, Ordered {

	/**
	 * The property that names the fleet.
	 */
	public static final String PROPERTY = "celeriac.compatibility";

	/**
	 * The name of the property source holding the cadasta defaults.
	 */
	public static final String CADASTA_PROPERTY_SOURCE = "celeriacCompatibilityCadasta";

	@Override
	public int getOrder() {
		// after the application's own configuration has been loaded
		return Ordered.LOWEST_PRECEDENCE;
	}

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		String value = environment.getProperty(PROPERTY);
		if (!StringUtils.hasText(value)) {
			return;
		}
		Compatibility compatibility = parse(value.trim());
		if (compatibility == Compatibility.CADASTA
				&& !environment.getPropertySources().contains(CADASTA_PROPERTY_SOURCE)) {
			environment.getPropertySources()
				.addLast(new MapPropertySource(CADASTA_PROPERTY_SOURCE, cadasta(environment)));
		}
	}

	private static Compatibility parse(String value) {
		try {
			return Compatibility.valueOf(value.replace('-', '_').toUpperCase(Locale.ROOT));
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalArgumentException(
					PROPERTY + " is '" + value + "', which names no known fleet: set it to cadasta, or remove it");
		}
	}

	private static Map<String, Object> cadasta(ConfigurableEnvironment environment) {
		Map<String, Object> defaults = new LinkedHashMap<>();
		defaults.put("celeriac.broker.type", "sqs");
		defaults.put("celeriac.broker.sqs.region", "us-west-2");
		// kombu's queue_name_prefix is an SQS transport option: queues on any other
		// broker
		// keep their bare names
		String broker = environment.getProperty("celeriac.broker.type", "sqs");
		defaults.put("celeriac.topology.queue-name-prefix",
				"sqs".equalsIgnoreCase(broker.trim()) ? queuePrefix(environment) + "-" : "");
		defaults.put("celeriac.topology.exchange", "task_exchange");
		defaults.put("celeriac.topology.exchange-type", "topic");
		defaults.put("celeriac.topology.monitor-queue", "platform.fifo");
		defaults.put("celeriac.result.type", "jdbc");
		defaults.put("celeriac.result.datasource.url",
				"jdbc:postgresql://${RESULT_DB_HOST:localhost}:${RESULT_DB_PORT:5432}/${RESULT_DB_NAME:cadasta}");
		defaults.put("celeriac.result.datasource.username", "${RESULT_DB_USER:cadasta}");
		defaults.put("celeriac.result.datasource.password", "${RESULT_DB_PASS:cadasta}");
		defaults.put("celeriac.result.track-started", "true");
		defaults.put("celeriac.workflow.chord-unlock-max-retries", "${CHORD_UNLOCK_MAX_RETRIES:43200}");
		return defaults;
	}

	private static String queuePrefix(ConfigurableEnvironment environment) {
		String prefix = environment.getProperty("QUEUE_PREFIX");
		return StringUtils.hasText(prefix) ? prefix : "dev";
	}

}
