/**
 * The contract every {@link io.celeriac.control.Mailbox} implementation passes.
 */
@NullMarked
package io.celeriac.test.control;

import org.jspecify.annotations.NullMarked;
