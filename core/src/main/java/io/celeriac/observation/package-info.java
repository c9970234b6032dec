/**
 * Micrometer Observation of tasks: a producer observation around each publish that writes
 * the trace context (W3C {@code traceparent}) into the task message's headers, and a
 * consumer observation around each run that continues it, so that a worker's span is a
 * child of the span that sent the task.
 */
@NullMarked
package io.celeriac.observation;

import org.jspecify.annotations.NullMarked;
