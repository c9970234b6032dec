/**
 * Auto-configuration of how the application's Lettuce client behaves when Redis fails.
 */
@NullMarked
package io.celeriac.autoconfigure.redis;

import org.jspecify.annotations.NullMarked;
