/**
 * The Redis backend of distributed locks: Lua compare-and-set on an owner token, release
 * notifications over pub/sub.
 */
@NullMarked
package io.celeriac.lock.redis;

import org.jspecify.annotations.NullMarked;
