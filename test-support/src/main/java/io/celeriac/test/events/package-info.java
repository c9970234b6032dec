/**
 * The contract every Celery event transport meets.
 */
@NullMarked
package io.celeriac.test.events;

import org.jspecify.annotations.NullMarked;
