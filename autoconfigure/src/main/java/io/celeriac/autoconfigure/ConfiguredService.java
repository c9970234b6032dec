package io.celeriac.autoconfigure;

import java.util.List;

import org.springframework.core.env.Environment;

/**
 * A server that a Spring Boot application can be configured to use, and the properties
 * that say it is. Spring Boot creates RabbitMQ and Redis connection factories even when
 * no server exists, so the presence of a bean does not mean a server was configured;
 * these properties do.
 *
 * @author Celeriac team
 */
enum ConfiguredService {

	RABBIT("RabbitMQ", "spring.rabbitmq.host", "spring.rabbitmq.addresses", "spring.rabbitmq.port"),

	REDIS("Redis", "spring.data.redis.host", "spring.data.redis.url", "spring.data.redis.port",
			"spring.data.redis.cluster.nodes", "spring.data.redis.sentinel.master"),

	JDBC("a SQL database", "spring.datasource.url", "spring.datasource.jndi-name");

	private final String description;

	private final List<String> properties;

	ConfiguredService(String description, String... properties) {
		this.description = description;
		this.properties = List.of(properties);
	}

	boolean isConfigured(Environment environment) {
		return this.properties.stream().anyMatch(environment::containsProperty);
	}

	String describe() {
		return this.description + " (" + String.join(", ", this.properties) + ")";
	}

}
