/**
 * Auto-configuration for observing tasks with Micrometer Observation.
 */
@NullMarked
package io.celeriac.autoconfigure.observation;

import org.jspecify.annotations.NullMarked;
