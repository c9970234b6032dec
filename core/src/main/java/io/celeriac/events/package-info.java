/**
 * Celery's event stream: the {@code task-*} and {@code worker-*} event messages that
 * Celery's {@code EventReceiver}, {@code State}, {@code celery events} and Flower read,
 * sent by Java producers and workers. The {@link io.celeriac.events.EventTransport} SPI
 * carries them, with a RabbitMQ and an in-memory backend.
 */
@NullMarked
package io.celeriac.events;

import org.jspecify.annotations.NullMarked;
