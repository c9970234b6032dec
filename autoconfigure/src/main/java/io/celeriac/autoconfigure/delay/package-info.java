/**
 * Auto-configuration for delayed tasks: the store and the scheduler.
 */
@NullMarked
package io.celeriac.autoconfigure.delay;

import org.jspecify.annotations.NullMarked;
