/**
 * Child processes for tests: a started process whose output is captured and can be waited
 * on, and a launcher for a child JVM on the test's own class path (e.g. a worker that a
 * test kills with SIGKILL).
 */
@NullMarked
package io.celeriac.test.process;

import org.jspecify.annotations.NullMarked;
