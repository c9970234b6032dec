/**
 * Auto-configuration for Celeriac's {@code io.celeriac.worker} capability.
 */
@NullMarked
package io.celeriac.autoconfigure.worker;

import org.jspecify.annotations.NullMarked;
