/**
 * Raw RabbitMQ baselines: what the broker and the plain Java client reach with the same
 * messages, acknowledgements and confirms as the task path, so the task benchmark can be
 * reported as a ratio of it.
 */
@NullMarked
package io.celeriac.benchmarks.rabbit;

import org.jspecify.annotations.NullMarked;
