/**
 * Real RabbitMQ, Redis and PostgreSQL servers for tests: from environment variables, from
 * Testcontainers where a Docker engine answers, or on 127.0.0.1; and per-class isolation
 * of queue names, Redis keys and database schemas.
 */
@NullMarked
package io.celeriac.test.services;

import org.jspecify.annotations.NullMarked;
