/**
 * A result store in Celery's {@code celery_taskmeta} table, readable by Python Celery's
 * database backend.
 */
@NullMarked
package io.celeriac.result.jdbc;

import org.jspecify.annotations.NullMarked;
