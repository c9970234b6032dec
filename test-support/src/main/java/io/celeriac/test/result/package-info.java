/**
 * The contract every result store meets.
 */
@NullMarked
package io.celeriac.test.result;

import org.jspecify.annotations.NullMarked;
