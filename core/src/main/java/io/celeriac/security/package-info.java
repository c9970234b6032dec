/**
 * Signed task messages: the SPI that signs what a producer publishes and verifies what a
 * worker receives, so that only holders of a trusted key can have tasks run.
 */
@NullMarked
package io.celeriac.security;

import org.jspecify.annotations.NullMarked;
