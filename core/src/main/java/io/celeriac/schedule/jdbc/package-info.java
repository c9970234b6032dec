/**
 * The JDBC schedule store, one row per schedule in the {@code celeriac_schedule} table.
 */
@NullMarked
package io.celeriac.schedule.jdbc;

import org.jspecify.annotations.NullMarked;
