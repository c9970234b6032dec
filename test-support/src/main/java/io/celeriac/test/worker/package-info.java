/**
 * The contract a {@link io.celeriac.worker.TaskWorker} keeps on every broker: it runs
 * good tasks and moves every message it cannot run to the error queue with the reason.
 */
@NullMarked
package io.celeriac.test.worker;

import org.jspecify.annotations.NullMarked;
