/**
 * The Redis cache store: one Lua script per operation, every key of a region in one Redis
 * Cluster hash slot.
 */
@NullMarked
package io.celeriac.cache.redis;

import org.jspecify.annotations.NullMarked;
