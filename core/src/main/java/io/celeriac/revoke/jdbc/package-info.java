/**
 * The {@link io.celeriac.revoke.RevokedTaskStore} in a SQL database, the result database.
 */
@NullMarked
package io.celeriac.revoke.jdbc;

import org.jspecify.annotations.NullMarked;
