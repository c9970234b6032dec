package io.celeriac.autoconfigure;

import java.util.Locale;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.core.env.Environment;

/**
 * Guards against a capability falling back to its in-memory backend in an application
 * whose broker is a real one (RabbitMQ, Redis, SQS), where other processes share the
 * tasks but not this process's memory. A fallback chosen by default, because the
 * capability's server is not configured, is refused or warned about; one chosen
 * explicitly with {@code celeriac.<capability>.type=memory} is accepted quietly. With an
 * in-memory broker (nothing configured) every in-memory backend is right and quiet.
 *
 * @author Celeriac team
 */
public final class SingleProcessFallback {

	private static final Log logger = LogFactory.getLog(SingleProcessFallback.class);

	private SingleProcessFallback() {
	}

	/**
	 * Refuses an in-memory backend chosen by default beside a real broker.
	 * @param capability the capability about to use its in-memory backend
	 * @param environment the application's environment
	 * @param beanFactory the application's bean factory, whose connection details beans
	 * configure servers as properties do
	 * @param consequence what would go wrong, e.g. "delayed tasks would be lost at the
	 * next restart"
	 * @throws SingleProcessBackendException if the broker is a real one and the in-memory
	 * backend was not chosen explicitly
	 */
	public static void refuseBesideRealBroker(Capability capability, Environment environment,
			ListableBeanFactory beanFactory, String consequence) {
		String broker = realBroker(capability, environment, beanFactory);
		if (broker != null) {
			throw new SingleProcessBackendException(capability, broker, consequence);
		}
	}

	/**
	 * Logs a warning about an in-memory backend chosen by default beside a real broker.
	 * @param capability the capability about to use its in-memory backend
	 * @param environment the application's environment
	 * @param beanFactory the application's bean factory, whose connection details beans
	 * configure servers as properties do
	 * @param consequence what goes wrong, e.g. "@Locked excludes nothing across
	 * processes"
	 */
	public static void warnBesideRealBroker(Capability capability, Environment environment,
			ListableBeanFactory beanFactory, String consequence) {
		String broker = realBroker(capability, environment, beanFactory);
		if (broker != null) {
			logger.warn("Celeriac's " + capability.name().toLowerCase(Locale.ROOT)
					+ " backend is in this process's memory beside the '" + broker + "' broker, because "
					+ capability.describeService() + " is not configured: " + consequence + ". Configure it or set '"
					+ capability.property() + "=" + capability.backendWhenConfigured() + "'; set '"
					+ capability.property() + "=memory' to keep it in memory without this warning.");
		}
	}

	/**
	 * Returns the real broker beside which a capability falls back to memory by default.
	 * @return the broker's name, or {@code null} if the broker is in memory or the
	 * capability's backend was chosen explicitly
	 */
	private static @Nullable String realBroker(Capability capability, Environment environment,
			ListableBeanFactory beanFactory) {
		Enum<?> broker = Capability.BROKER.resolve(environment, beanFactory);
		if (broker == BrokerType.MEMORY || capability.isExplicit(environment)) {
			return null;
		}
		return Capability.lowerCase(broker);
	}

}
