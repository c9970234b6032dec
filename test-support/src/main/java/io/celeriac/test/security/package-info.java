/**
 * Throwaway signing keys and self-signed certificates for tests of signed task messages.
 */
@NullMarked
package io.celeriac.test.security;

import org.jspecify.annotations.NullMarked;
