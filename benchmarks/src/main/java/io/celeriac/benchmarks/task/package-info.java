/**
 * End-to-end benchmark of the task path: publishing with {@code TaskClient} and draining
 * with one worker, against the raw RabbitMQ ceiling measured in the same run.
 */
@NullMarked
package io.celeriac.benchmarks.task;

import org.jspecify.annotations.NullMarked;
