/**
 * Celery's remote control: a worker answers the commands broadcast on the pidbox
 * ({@code celery inspect ping}, {@code revoke}, ...), and
 * {@link io.celeriac.control.WorkerControl} sends them to Python and Java workers alike.
 * The {@link io.celeriac.control.Mailbox} SPI carries the commands and replies (kombu's
 * {@code Mailbox}), with a RabbitMQ implementation.
 */
@NullMarked
package io.celeriac.control;

import org.jspecify.annotations.NullMarked;
