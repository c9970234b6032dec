/**
 * The contract every task record store meets.
 */
@NullMarked
package io.celeriac.test.monitor;

import org.jspecify.annotations.NullMarked;
