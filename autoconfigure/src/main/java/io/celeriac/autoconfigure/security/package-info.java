/**
 * Auto-configuration of signed task messages ({@code celeriac.security.*}).
 */
@NullMarked
package io.celeriac.autoconfigure.security;

import org.jspecify.annotations.NullMarked;
