/**
 * The Redis schedule store, shared by every process on the same Redis.
 */
@NullMarked
package io.celeriac.schedule.redis;

import org.jspecify.annotations.NullMarked;
