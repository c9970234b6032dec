package io.celeriac.result.jdbc;

import java.time.Duration;

import javax.sql.DataSource;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.BeanWrapper;
import org.springframework.beans.PropertyAccessorFactory;

/**
 * Bounds how long a connection pool makes the result store wait for a connection by the
 * store's own write timeout: to three quarters of it, so that a batch that gets no
 * connection fails, with the reason, before its callers give up. A pool that waits longer
 * (HikariCP waits 30 seconds by default) holds each result write and read that long while
 * the database is down, although its caller gave up before; bounded, the first call fails
 * in time and the store is known to be unreachable. A pool Celeriac builds is bounded;
 * for the application's own pool a longer wait is only reported.
 *
 * @author Celeriac team
 */
public final class PoolConnectionTimeout {

	private static final Logger logger = LoggerFactory.getLogger(PoolConnectionTimeout.class);

	/**
	 * HikariCP's property, in milliseconds.
	 */
	private static final String PROPERTY = "connectionTimeout";

	private PoolConnectionTimeout() {
	}

	/**
	 * Returns the longest wait for a connection that suits a write timeout.
	 * @param writeTimeout the store's write timeout
	 * @return three quarters of it, at least 250 ms (HikariCP's least)
	 */
	public static Duration forWriteTimeout(Duration writeTimeout) {
		return Duration.ofMillis(Math.max(250, writeTimeout.toMillis() * 3 / 4));
	}

	/**
	 * Lowers a pool's connection timeout to {@link #forWriteTimeout(Duration)}, where the
	 * pool has one (HikariCP's {@code connectionTimeout}) and it is longer.
	 * @param dataSource the pool
	 * @param writeTimeout the store's write timeout
	 * @return whether the timeout was lowered
	 */
	public static boolean bound(DataSource dataSource, Duration writeTimeout) {
		BeanWrapper pool = PropertyAccessorFactory.forBeanPropertyAccess(dataSource);
		Long current = current(pool);
		long millis = forWriteTimeout(writeTimeout).toMillis();
		if (current == null || current <= millis || !pool.isWritableProperty(PROPERTY)) {
			return false;
		}
		pool.setPropertyValue(PROPERTY, millis);
		return true;
	}

	/**
	 * Logs a warning when a pool waits for a connection longer than
	 * {@link #forWriteTimeout(Duration)}.
	 * @param dataSource the pool
	 * @param writeTimeout the store's write timeout
	 * @return whether the pool waits longer
	 */
	public static boolean warnIfLonger(DataSource dataSource, Duration writeTimeout) {
		Long current = current(PropertyAccessorFactory.forBeanPropertyAccess(dataSource));
		if (current == null || current <= forWriteTimeout(writeTimeout).toMillis()) {
			return false;
		}
		logger.warn("The result store's DataSource waits up to {} ms for a connection, longer than three quarters "
				+ "of celeriac.result.write-timeout ({}): while the database is down each result write or read "
				+ "waits that long and may time out without saying why; lower the pool's connection timeout "
				+ "(spring.datasource.hikari.connection-timeout) or give the result store a pool of its own "
				+ "(celeriac.result.datasource.url)", current, writeTimeout);
		return true;
	}

	private static @Nullable Long current(BeanWrapper pool) {
		if (!pool.isReadableProperty(PROPERTY)) {
			return null;
		}
		Object value = pool.getPropertyValue(PROPERTY);
		return (value instanceof Number number) ? number.longValue() : null;
	}

}
