/**
 * The Redis cache store: one {@code MGET} per hit and one Lua script per other operation,
 * every key of a region in one Redis Cluster hash slot, and the near cache that answers
 * hits from process memory, kept coherent by Redis's client-side caching.
 */
@NullMarked
package io.celeriac.cache.redis;

import org.jspecify.annotations.NullMarked;
