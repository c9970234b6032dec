/**
 * Auto-configuration of the worker registry and the worker's heartbeat.
 */
@NullMarked
package io.celeriac.autoconfigure.registry;

import org.jspecify.annotations.NullMarked;
