/**
 * Celeriac: Celery-style background tasks on RabbitMQ with results in SQL, and a Redis
 * toolbox of cache regions, distributed locks and limiters. Each capability lives in a
 * sub-package, its SPI at the package root and one sub-package per backend.
 */
@NullMarked
package io.celeriac;

import org.jspecify.annotations.NullMarked;
