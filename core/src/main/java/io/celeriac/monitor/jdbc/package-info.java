/**
 * The task table in a SQL database.
 */
@NullMarked
package io.celeriac.monitor.jdbc;

import org.jspecify.annotations.NullMarked;
