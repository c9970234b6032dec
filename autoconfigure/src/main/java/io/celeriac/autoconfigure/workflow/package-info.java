/**
 * Auto-configuration for workflows: the workflow client, the chord join of the chosen
 * result store, and the worker's workflow continuation.
 */
@NullMarked
package io.celeriac.autoconfigure.workflow;

import org.jspecify.annotations.NullMarked;
