/**
 * What an operator needs to run Celeriac: queue and error-queue inspection, moving
 * error-queue messages back or discarding them, and Micrometer meters for tasks and
 * queues, all built on the broker and result store SPIs without changing the worker.
 */
@NullMarked
package io.celeriac.operations;

import org.jspecify.annotations.NullMarked;
