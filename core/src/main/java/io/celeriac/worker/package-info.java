/**
 * The worker: consumes service queues, runs the task method named by each message,
 * records the outcome and moves what it cannot run to the error queue.
 */
@NullMarked
package io.celeriac.worker;

import org.jspecify.annotations.NullMarked;
