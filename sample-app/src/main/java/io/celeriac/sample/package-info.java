/**
 * A runnable Spring Boot application that uses Celeriac, on the in-memory backends by
 * default and on RabbitMQ, Redis and PostgreSQL with the {@code services} profile.
 */
@NullMarked
package io.celeriac.sample;

import org.jspecify.annotations.NullMarked;
