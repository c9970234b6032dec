/**
 * The contract of the execution model on a broker: retries with backoff, expiry, delays
 * and lifecycle listeners.
 */
@NullMarked
package io.celeriac.test.execution;

import org.jspecify.annotations.NullMarked;
