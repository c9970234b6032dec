/**
 * The Redis backend of limiters: a sorted set of holders pruned in Lua, and GCRA rate
 * limits.
 */
@NullMarked
package io.celeriac.limit.redis;

import org.jspecify.annotations.NullMarked;
