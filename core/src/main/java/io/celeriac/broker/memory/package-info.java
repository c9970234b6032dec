/**
 * A broker inside one JVM with RabbitMQ's routing and acknowledgement semantics, for
 * applications and tests with no server.
 */
@NullMarked
package io.celeriac.broker.memory;

import org.jspecify.annotations.NullMarked;
