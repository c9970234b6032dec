package io.celeriac.autoconfigure;

import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.annotation.AnnotatedBeanDefinition;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.core.env.Environment;
import org.springframework.core.type.MethodMetadata;
import org.springframework.util.ClassUtils;

/**
 * A server that a Spring Boot application can be configured to use, and what says it is:
 * Spring Boot's own properties, or a connection details bean such as the ones
 * Testcontainers' {@code @ServiceConnection} and Spring Boot's Docker Compose support
 * register. Spring Boot creates RabbitMQ and Redis connection factories, and connection
 * details backed by its properties, even when no server exists, so neither of those means
 * a server was configured.
 *
 * @author Celeriac team
 */
enum ConfiguredService {

	RABBIT("RabbitMQ", "org.springframework.boot.amqp.autoconfigure.RabbitConnectionDetails", "spring.rabbitmq.host",
			"spring.rabbitmq.addresses", "spring.rabbitmq.port"),

	REDIS("Redis", "org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails",
			"spring.data.redis.host", "spring.data.redis.url", "spring.data.redis.port",
			"spring.data.redis.cluster.nodes", "spring.data.redis.sentinel.master"),

	JDBC("a SQL database", "org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails", "spring.datasource.url",
			"spring.datasource.jndi-name");

	private final String description;

	private final String connectionDetails;

	private final List<String> properties;

	ConfiguredService(String description, String connectionDetails, String... properties) {
		this.description = description;
		this.connectionDetails = connectionDetails;
		this.properties = List.of(properties);
	}

	/**
	 * Returns whether this server is configured.
	 * @param environment the application's environment
	 * @param beanFactory the bean factory whose connection details beans count, or
	 * {@code null} to look at the properties only
	 * @return {@code true} if one of the properties is set or a connection details bean,
	 * other than the one Spring Boot derives from those properties, is defined
	 */
	boolean isConfigured(Environment environment, @Nullable ListableBeanFactory beanFactory) {
		return this.properties.stream().anyMatch(environment::containsProperty)
				|| (beanFactory != null && hasConnectionDetails(beanFactory));
	}

	private boolean hasConnectionDetails(ListableBeanFactory beanFactory) {
		ClassLoader classLoader = (beanFactory instanceof ConfigurableListableBeanFactory configurable)
				? configurable.getBeanClassLoader() : null;
		if (!ClassUtils.isPresent(this.connectionDetails, classLoader)) {
			return false;
		}
		Class<?> type = ClassUtils.resolveClassName(this.connectionDetails, classLoader);
		for (String name : beanFactory.getBeanNamesForType(type, true, false)) {
			if (!isDerivedFromProperties(beanFactory, name)) {
				return true;
			}
		}
		return false;
	}

	/**
	 * Returns whether a connection details bean is the one Spring Boot's own
	 * auto-configuration defines from its properties when no other exists: a
	 * {@code @Bean} method declared in the package of the connection details type.
	 */
	private boolean isDerivedFromProperties(ListableBeanFactory beanFactory, String name) {
		if (!(beanFactory instanceof ConfigurableListableBeanFactory configurable)
				|| !configurable.containsBeanDefinition(name)) {
			return false;
		}
		if (configurable.getBeanDefinition(name) instanceof AnnotatedBeanDefinition definition) {
			MethodMetadata factoryMethod = definition.getFactoryMethodMetadata();
			return factoryMethod != null && ClassUtils.getPackageName(factoryMethod.getDeclaringClassName())
				.equals(ClassUtils.getPackageName(this.connectionDetails));
		}
		return false;
	}

	String describe() {
		return this.description + " (" + String.join(", ", this.properties) + ", or a "
				+ ClassUtils.getShortName(this.connectionDetails) + " bean)";
	}

}
