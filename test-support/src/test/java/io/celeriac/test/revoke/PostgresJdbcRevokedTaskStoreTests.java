package io.celeriac.test.revoke;

import io.celeriac.revoke.RevokedTaskStore;
import io.celeriac.revoke.RevokedTaskStore.Limits;
import io.celeriac.revoke.jdbc.JdbcRevokedTaskStore;
import io.celeriac.test.services.PostgresEndpoint;
import io.celeriac.test.services.RealServices;
import io.celeriac.test.services.ServiceIsolation;
import org.junit.jupiter.api.BeforeEach;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * The {@link RevokedTaskStore} contract on {@link JdbcRevokedTaskStore} in PostgreSQL, in
 * the test class's own schema.
 *
 * @author Celeriac team
 */
@RealServices
class PostgresJdbcRevokedTaskStoreTests extends RevokedTaskStoreContractTests {

	private final DriverManagerDataSource dataSource;

	PostgresJdbcRevokedTaskStoreTests(PostgresEndpoint postgres, ServiceIsolation isolation) {
		this.dataSource = new DriverManagerDataSource(isolation.jdbcUrl(), postgres.username(), postgres.password());
	}

	@BeforeEach
	void createTable() {
		new JdbcRevokedTaskStore(this.dataSource, Limits.CELERY).initializeSchema();
		new JdbcTemplate(this.dataSource).update("DELETE FROM celeriac_revoked");
	}

	@Override
	protected RevokedTaskStore store(Limits limits) {
		return new JdbcRevokedTaskStore(this.dataSource, limits);
	}

}
