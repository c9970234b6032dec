/**
 * Celery's events on RabbitMQ: the {@code celeryev} topic exchange.
 */
@NullMarked
package io.celeriac.events.rabbit;

import org.jspecify.annotations.NullMarked;
