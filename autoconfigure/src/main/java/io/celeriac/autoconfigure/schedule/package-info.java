/**
 * Auto-configuration for recurring tasks.
 */
@NullMarked
package io.celeriac.autoconfigure.schedule;

import org.jspecify.annotations.NullMarked;
