package io.celeriac.autoconfigure.result;

import javax.sql.DataSource;

import org.springframework.beans.factory.DisposableBean;

/**
 * The DataSource the JDBC result store writes through: the application's, or one of its
 * own built from {@code celeriac.result.datasource.*} (closed with the context), so that
 * workers can write results with a role that may touch nothing else. Not a
 * {@link DataSource} bean itself, so that it never competes with the application's.
 *
 * @param dataSource the DataSource
 * @param owned whether it was built for the result store and is closed with it
 * @author Celeriac team
 */
public record ResultDataSource(DataSource dataSource, boolean owned) implements DisposableBean {

	@Override
	public void destroy() throws Exception {
		if (this.owned && this.dataSource instanceof AutoCloseable closeable) {
			closeable.close();
		}
	}

}
