/**
 * Health indicators for the broker's queues and the result store, for Spring Boot's
 * health endpoint.
 */
@NullMarked
package io.celeriac.operations.health;

import org.jspecify.annotations.NullMarked;
