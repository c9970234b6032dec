/**
 * Python Celery 5 (Debian's {@code python3-celery}) as a peer in tests: a Celery app laid
 * out like the cadasta topology, a worker process that records what its tasks ran, and
 * Celery's own client sending tasks.
 */
@NullMarked
package io.celeriac.test.celery;

import org.jspecify.annotations.NullMarked;
