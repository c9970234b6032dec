/**
 * A result store in Redis, in the format of Python Celery's Redis result backend.
 */
@NullMarked
package io.celeriac.result.redis;

import org.jspecify.annotations.NullMarked;
