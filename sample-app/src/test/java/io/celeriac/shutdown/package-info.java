/**
 * A worker application run as a child process by the graceful shutdown tests, outside the
 * sample's package so that the sample's tests do not pick it up.
 */
@NullMarked
package io.celeriac.shutdown;

import org.jspecify.annotations.NullMarked;
