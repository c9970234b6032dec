/**
 * The contract of a {@link io.celeriac.delay.DelayedTaskStore}, which every store's test
 * extends.
 */
@NullMarked
package io.celeriac.test.delay;

import org.jspecify.annotations.NullMarked;
