/**
 * Auto-configuration for Celery's events.
 */
@NullMarked
package io.celeriac.autoconfigure.events;

import org.jspecify.annotations.NullMarked;
