/**
 * Auto-configuration for operating Celeriac: health indicators, Micrometer meters and the
 * {@code celeriac} Actuator endpoint.
 */
@NullMarked
package io.celeriac.autoconfigure.operations;

import org.jspecify.annotations.NullMarked;
