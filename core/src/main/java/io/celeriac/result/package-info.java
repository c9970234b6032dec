/**
 * The result store SPI: where workers record the state and outcome of each task, and
 * where handles read them.
 */
@NullMarked
package io.celeriac.result;

import org.jspecify.annotations.NullMarked;
