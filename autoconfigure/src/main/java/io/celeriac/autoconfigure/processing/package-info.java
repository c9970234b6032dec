/**
 * Auto-configuration for cached operations on URIs.
 */
@NullMarked
package io.celeriac.autoconfigure.processing;

import org.jspecify.annotations.NullMarked;
