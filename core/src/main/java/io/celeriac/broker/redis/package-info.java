/**
 * The Redis broker, in the layout of kombu's Redis transport (queues as lists per
 * priority step, {@code _kombu.binding.*} sets, the {@code unacked} hash with its
 * visibility timeout), so that Python Celery on {@code redis://} shares it, on Spring
 * Data Redis.
 */
@NullMarked
package io.celeriac.broker.redis;

import org.jspecify.annotations.NullMarked;
