/**
 * How a task runs beyond a single attempt: its retry policy with exponential backoff, and
 * the lifecycle listeners that hear what happens to it.
 */
@NullMarked
package io.celeriac.execution;

import org.jspecify.annotations.NullMarked;
