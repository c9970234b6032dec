/**
 * The worker registry on Redis: a key with a time to live per worker and a sorted set of
 * their deadlines, pruned by a Lua script.
 */
@NullMarked
package io.celeriac.registry.redis;

import org.jspecify.annotations.NullMarked;
