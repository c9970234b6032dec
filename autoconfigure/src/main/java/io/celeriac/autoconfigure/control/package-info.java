/**
 * Auto-configuration for Celery's remote control and revoke: the worker's control node,
 * {@link io.celeriac.control.WorkerControl}, and the revoked task store.
 */
@NullMarked
package io.celeriac.autoconfigure.control;

import org.jspecify.annotations.NullMarked;
