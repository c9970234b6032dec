package io.celeriac.test.result;

import java.util.UUID;

import io.celeriac.result.CeleryResultFormat;
import io.celeriac.result.ResultStore;
import io.celeriac.result.jdbc.JdbcResultStore;

import tools.jackson.databind.json.JsonMapper;

/**
 * The result store contract on H2, with the H2 schema script.
 *
 * @author Celeriac team
 */
class H2JdbcResultStoreTests extends ResultStoreContractTests {

	private final JdbcResultStore store = new JdbcResultStore(ResultDatabases.h2("results" + UUID.randomUUID()),
			new CeleryResultFormat(new JsonMapper()));

	@Override
	protected ResultStore store() {
		return this.store;
	}

}
