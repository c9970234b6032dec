/**
 * Cache region metrics in Micrometer.
 */
@NullMarked
package io.celeriac.cache.micrometer;

import org.jspecify.annotations.NullMarked;
