/**
 * Auto-configuration of cache regions.
 */
@NullMarked
package io.celeriac.autoconfigure.cache;

import org.jspecify.annotations.NullMarked;
