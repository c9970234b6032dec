/**
 * Delayed tasks: a worker's heap with a million of them waiting, and how late due tasks
 * run.
 */
@NullMarked
package io.celeriac.benchmarks.delay;

import org.jspecify.annotations.NullMarked;
