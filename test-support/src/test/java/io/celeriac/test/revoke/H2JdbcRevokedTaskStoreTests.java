package io.celeriac.test.revoke;

import java.util.UUID;

import io.celeriac.revoke.RevokedTaskStore;
import io.celeriac.revoke.RevokedTaskStore.Limits;
import io.celeriac.revoke.jdbc.JdbcRevokedTaskStore;
import org.junit.jupiter.api.BeforeEach;

import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * The {@link RevokedTaskStore} contract on {@link JdbcRevokedTaskStore} in an embedded H2
 * database, the embedded result database.
 *
 * @author Celeriac team
 */
class H2JdbcRevokedTaskStoreTests extends RevokedTaskStoreContractTests {

	private DriverManagerDataSource dataSource;

	@BeforeEach
	void createDatabase() {
		this.dataSource = new DriverManagerDataSource("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
		new JdbcRevokedTaskStore(this.dataSource, Limits.CELERY).initializeSchema();
	}

	@Override
	protected RevokedTaskStore store(Limits limits) {
		return new JdbcRevokedTaskStore(this.dataSource, limits);
	}

}
