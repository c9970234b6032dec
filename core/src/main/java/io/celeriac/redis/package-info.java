/**
 * How Celeriac's Redis clients behave when Redis fails: commands fail fast instead of
 * queueing on a lost connection, every call is bounded by its caller's deadline, and the
 * client reconnects within a bounded delay.
 */
@NullMarked
package io.celeriac.redis;

import org.jspecify.annotations.NullMarked;
