package io.celeriac.test.services;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Gives a test class real RabbitMQ, Redis and PostgreSQL servers as method parameters
 * ({@link RedisEndpoint}, {@link RabbitEndpoint}, {@link PostgresEndpoint}; and an SQS
 * server, {@link SqsEndpoint}, ElasticMQ inside the test JVM) and its own
 * {@link ServiceIsolation}. Servers come from {@code CELERIAC_TEST_REDIS_URL},
 * {@code CELERIAC_TEST_RABBITMQ_URL} and {@code CELERIAC_TEST_POSTGRES_URL} when set,
 * from Testcontainers where a Docker engine answers, and from 127.0.0.1 otherwise.
 *
 * @author Celeriac team
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(RealServicesExtension.class)
public @interface RealServices {

}
