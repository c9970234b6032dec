package io.celeriac.autoconfigure;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.core.env.Environment;
import org.springframework.util.StringUtils;

/**
 * A Celeriac capability whose backend is chosen by {@code celeriac.<name>.type}. An
 * explicit type always wins; when none is set the real backend is chosen if its server is
 * configured through Spring Boot's own properties or connection details beans (as
 * Testcontainers' {@code @ServiceConnection} and Docker Compose support define), and the
 * in-memory backend otherwise, so an application with no server configured never dials
 * one.
 *
 * @author Celeriac team
 */
public enum Capability {

	/**
	 * The task broker: {@code rabbit} when {@code spring.rabbitmq.host},
	 * {@code addresses} or {@code port} is set or a {@code RabbitConnectionDetails} bean
	 * is defined, {@code memory} otherwise.
	 */
	BROKER("broker", BrokerType.class, ConfiguredService.RABBIT, BrokerType.RABBIT, BrokerType.MEMORY),

	/**
	 * The result store: {@code jdbc} when {@code spring.datasource.url} or
	 * {@code jndi-name} is set or a {@code JdbcConnectionDetails} bean is defined,
	 * {@code memory} otherwise.
	 */
	RESULT("result", ResultStoreType.class, ConfiguredService.JDBC, ResultStoreType.JDBC, ResultStoreType.MEMORY),

	/**
	 * Cache regions: {@code redis} when a Redis server is configured, {@code memory}
	 * otherwise.
	 */
	CACHE("cache", StoreType.class, ConfiguredService.REDIS, StoreType.REDIS, StoreType.MEMORY),

	/**
	 * Distributed locks: {@code redis} when a Redis server is configured, {@code memory}
	 * otherwise.
	 */
	LOCK("lock", StoreType.class, ConfiguredService.REDIS, StoreType.REDIS, StoreType.MEMORY),

	/**
	 * Limiters: {@code redis} when a Redis server is configured, {@code memory}
	 * otherwise.
	 */
	LIMITER("limiter", StoreType.class, ConfiguredService.REDIS, StoreType.REDIS, StoreType.MEMORY),

	/**
	 * The delayed task store (eta, countdown, retries): {@code redis} when a Redis server
	 * is configured, {@code memory} otherwise.
	 */
	SCHEDULER("scheduler", StoreType.class, ConfiguredService.REDIS, StoreType.REDIS, StoreType.MEMORY),

	/**
	 * The worker registry: {@code redis} when a Redis server is configured,
	 * {@code memory} otherwise.
	 */
	REGISTRY("registry", StoreType.class, ConfiguredService.REDIS, StoreType.REDIS, StoreType.MEMORY),

	/**
	 * The schedule store of recurring tasks: {@code redis} when a Redis server is
	 * configured, {@code memory} otherwise; {@code jdbc} only when chosen.
	 */
	RECURRING("recurring", ScheduleStoreType.class, ConfiguredService.REDIS, ScheduleStoreType.REDIS,
			ScheduleStoreType.MEMORY);

	private final String name;

	private final Class<? extends Enum<?>> types;

	private final ConfiguredService service;

	private final Enum<?> whenConfigured;

	private final Enum<?> otherwise;

	Capability(String name, Class<? extends Enum<?>> types, ConfiguredService service, Enum<?> whenConfigured,
			Enum<?> otherwise) {
		this.name = name;
		this.types = types;
		this.service = service;
		this.whenConfigured = whenConfigured;
		this.otherwise = otherwise;
	}

	/**
	 * Returns the property that selects this capability's backend.
	 * @return the property name, e.g. {@code celeriac.lock.type}
	 */
	public String property() {
		return "celeriac." + this.name + ".type";
	}

	/**
	 * Returns the backend this capability uses in the given environment and bean factory.
	 * @param environment the application's environment
	 * @param beanFactory the application's bean factory, whose connection details beans
	 * (e.g. from Testcontainers' {@code @ServiceConnection}) configure a server as
	 * properties do; {@code null} to look at the properties only
	 * @return one of the constants of this capability's type enum
	 * @throws InvalidBackendTypeException if the property names no known backend
	 */
	public Enum<?> resolve(Environment environment, @Nullable ListableBeanFactory beanFactory) {
		String value = environment.getProperty(property());
		if (!StringUtils.hasText(value)) {
			return this.service.isConfigured(environment, beanFactory) ? this.whenConfigured : this.otherwise;
		}
		String normalized = value.trim().replace('-', '_').toUpperCase(Locale.ROOT);
		return Arrays.stream(this.types.getEnumConstants())
			.filter((candidate) -> candidate.name().equals(normalized))
			.findFirst()
			.orElseThrow(() -> new InvalidBackendTypeException(property(), value, allowedValues()));
	}

	/**
	 * Returns whether the backend was chosen explicitly with {@link #property()}, rather
	 * than by default from the configured servers.
	 * @param environment the application's environment
	 * @return {@code true} if the property is set
	 */
	public boolean isExplicit(Environment environment) {
		return StringUtils.hasText(environment.getProperty(property()));
	}

	/**
	 * Returns the backend chosen by default when this capability's server is configured.
	 * @return e.g. {@code redis}
	 */
	String backendWhenConfigured() {
		return lowerCase(this.whenConfigured);
	}

	/**
	 * Describes the server whose configuration chooses the real backend by default.
	 * @return e.g.
	 * {@code Redis (spring.data.redis.host, ..., or a DataRedisConnectionDetails
	 * bean)}
	 */
	String describeService() {
		return this.service.describe();
	}

	/**
	 * Describes how the backend is chosen when no type is set.
	 * @return a sentence for logs and condition reports
	 */
	String describeDefault() {
		return lowerCase(this.whenConfigured) + " when " + this.service.describe() + " is configured, "
				+ lowerCase(this.otherwise) + " otherwise";
	}

	String allowedValues() {
		return Arrays.stream(this.types.getEnumConstants())
			.map(Capability::lowerCase)
			.collect(Collectors.joining(", "));
	}

	static String lowerCase(Enum<?> type) {
		return type.name().toLowerCase(Locale.ROOT);
	}

}
