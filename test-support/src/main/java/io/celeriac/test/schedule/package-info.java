/**
 * The contract suite of schedule stores.
 */
@NullMarked
package io.celeriac.test.schedule;

import org.jspecify.annotations.NullMarked;
