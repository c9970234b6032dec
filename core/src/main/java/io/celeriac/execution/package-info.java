/**
 * How a task runs beyond a single attempt: its retry policy with exponential backoff,
 * what happens to a task a lock or limiter refused, and the lifecycle listeners that hear
 * what happens to it.
 */
@NullMarked
package io.celeriac.execution;

import org.jspecify.annotations.NullMarked;
