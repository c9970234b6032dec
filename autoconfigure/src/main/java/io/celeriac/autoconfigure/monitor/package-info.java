/**
 * Auto-configuration of the task monitor.
 */
@NullMarked
package io.celeriac.autoconfigure.monitor;

import org.jspecify.annotations.NullMarked;
