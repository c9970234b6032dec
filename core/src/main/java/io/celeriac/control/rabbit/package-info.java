/**
 * The {@link io.celeriac.control.Mailbox} on RabbitMQ, as kombu's {@code pidbox} lays it
 * out.
 */
@NullMarked
package io.celeriac.control.rabbit;

import org.jspecify.annotations.NullMarked;
