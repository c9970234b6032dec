/**
 * Benchmarks, run by hand (see docs/benchmarks.md); not part of the build's tests.
 */
@NullMarked
package io.celeriac.benchmarks;

import org.jspecify.annotations.NullMarked;
