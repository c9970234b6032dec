package io.celeriac.test.result;

import java.time.Duration;

import io.celeriac.result.BatchingResultStore;
import io.celeriac.result.CeleryResultFormat;
import io.celeriac.result.ResultStore;
import io.celeriac.result.jdbc.JdbcResultStore;
import io.celeriac.test.services.PostgresEndpoint;
import io.celeriac.test.services.RealServices;
import io.celeriac.test.services.ServiceIsolation;
import org.junit.jupiter.api.AfterEach;
import tools.jackson.databind.json.JsonMapper;

/**
 * The result store contract through group-committed batches on PostgreSQL.
 *
 * @author Celeriac team
 */
@RealServices
class BatchingResultStoreTests extends ResultStoreContractTests {

	private final BatchingResultStore store;

	BatchingResultStoreTests(PostgresEndpoint postgres, ServiceIsolation isolation) {
		this.store = new BatchingResultStore(new JdbcResultStore(ResultDatabases.postgresql(postgres, isolation),
				new CeleryResultFormat(new JsonMapper())), 16, Duration.ofSeconds(10));
	}

	@AfterEach
	void stopWriter() throws InterruptedException {
		this.store.destroy();
	}

	@Override
	protected ResultStore store() {
		return this.store;
	}

}
