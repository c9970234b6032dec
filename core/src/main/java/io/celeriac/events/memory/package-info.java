/**
 * Celery's events within one process, for tests and the in-memory broker.
 */
@NullMarked
package io.celeriac.events.memory;

import org.jspecify.annotations.NullMarked;
