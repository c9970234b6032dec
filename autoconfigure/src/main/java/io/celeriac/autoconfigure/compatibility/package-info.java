/**
 * Compatibility switches that apply the defaults of an existing Celery fleet.
 */
@NullMarked
package io.celeriac.autoconfigure.compatibility;

import org.jspecify.annotations.NullMarked;
