/**
 * The RabbitMQ broker, on Spring AMQP.
 */
@NullMarked
package io.celeriac.broker.rabbit;

import org.jspecify.annotations.NullMarked;
