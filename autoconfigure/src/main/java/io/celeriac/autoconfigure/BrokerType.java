package io.celeriac.autoconfigure;

/**
 * Where tasks are published and consumed.
 *
 * @author Celeriac team
 */
public enum BrokerType {

	/**
	 * RabbitMQ, through the connection factory of Spring Boot's AMQP auto-configuration.
	 */
	RABBIT,

	/**
	 * Redis, through the connection factory of Spring Boot's Redis auto-configuration.
	 */
	REDIS,

	/**
	 * Amazon SQS, through the AWS SDK for Java v2; chosen only when set explicitly.
	 */
	SQS,

	/**
	 * In this JVM only; nothing survives a restart. The embedded default.
	 */
	MEMORY

}
