/**
 * The Celery-style topology: one topic exchange, a monitor queue that sees every task,
 * one queue per service and an error queue beside each, all names carrying an environment
 * prefix.
 */
@NullMarked
package io.celeriac.topology;

import org.jspecify.annotations.NullMarked;
