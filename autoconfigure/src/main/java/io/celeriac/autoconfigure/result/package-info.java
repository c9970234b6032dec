/**
 * Auto-configuration for Celeriac's {@code io.celeriac.result} capability.
 */
@NullMarked
package io.celeriac.autoconfigure.result;

import org.jspecify.annotations.NullMarked;
