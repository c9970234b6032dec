/**
 * The contract every {@link io.celeriac.broker.Broker} implementation passes.
 */
@NullMarked
package io.celeriac.test.broker;

import org.jspecify.annotations.NullMarked;
