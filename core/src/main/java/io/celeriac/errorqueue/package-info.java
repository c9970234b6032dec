/**
 * Error queues: moving a message that cannot be run or recorded beside its queue with the
 * reason in headers ({@link io.celeriac.errorqueue.ErrorQueuePublisher}), and reading,
 * requeueing and discarding what they hold
 * ({@link io.celeriac.errorqueue.ErrorQueueService}).
 */
@NullMarked
package io.celeriac.errorqueue;

import org.jspecify.annotations.NullMarked;
