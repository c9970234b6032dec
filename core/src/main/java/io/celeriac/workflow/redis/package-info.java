/**
 * The chord join of Celery's Redis result backend: each header member adds its result to
 * a sorted set, and the one that completes the set publishes the body.
 */
@NullMarked
package io.celeriac.workflow.redis;

import org.jspecify.annotations.NullMarked;
