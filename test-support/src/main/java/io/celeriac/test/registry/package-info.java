/**
 * The contract every {@link io.celeriac.registry.WorkerRegistry} backend passes.
 */
@NullMarked
package io.celeriac.test.registry;

import org.jspecify.annotations.NullMarked;
