/**
 * The task monitor: records every task message seen on the monitor queue.
 */
@NullMarked
package io.celeriac.monitor;

import org.jspecify.annotations.NullMarked;
