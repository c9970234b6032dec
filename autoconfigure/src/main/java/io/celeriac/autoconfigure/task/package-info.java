/**
 * Auto-configuration for Celeriac's {@code io.celeriac.task} capability.
 */
@NullMarked
package io.celeriac.autoconfigure.task;

import org.jspecify.annotations.NullMarked;
