/**
 * The worker registry in this JVM, for a single process and for tests.
 */
@NullMarked
package io.celeriac.registry.memory;

import org.jspecify.annotations.NullMarked;
