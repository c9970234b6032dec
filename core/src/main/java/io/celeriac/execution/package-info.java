/**
 * How a task runs beyond a single attempt: what happens to a task a lock or limiter
 * refused, the interceptors around each run, and the lifecycle listeners that hear what
 * happens to it. The retry policy a task declares lives next to {@code @Deferrable}, in
 * the task package, which depends on this one and not the other way round.
 */
@NullMarked
package io.celeriac.execution;

import org.jspecify.annotations.NullMarked;
