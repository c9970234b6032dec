/**
 * Auto-configuration for Celeriac: properties, backend selection and the wiring of each
 * capability. Sub-packages mirror the capability packages of {@code celeriac-core}.
 */
@NullMarked
package io.celeriac.autoconfigure;

import org.jspecify.annotations.NullMarked;
