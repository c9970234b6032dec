package io.celeriac.test.result;

import java.net.URI;

import io.celeriac.result.CeleryResultFormat;
import io.celeriac.result.ResultStore;
import io.celeriac.result.jdbc.JdbcResultStore;
import io.celeriac.test.services.PostgresEndpoint;
import io.celeriac.test.services.RabbitEndpoint;
import io.celeriac.test.services.RealServices;
import io.celeriac.test.services.ServiceIsolation;
import tools.jackson.databind.json.JsonMapper;

/**
 * Python Celery's database backend ({@code db+postgresql://}) and the JDBC result store
 * share {@code celery_taskmeta}.
 *
 * @author Celeriac team
 */
@RealServices
class PostgresPythonInteroperabilityTests extends PythonInteroperabilityTests {

	private final JdbcResultStore store;

	private final String backendUrl;

	private final RabbitEndpoint rabbit;

	private final ServiceIsolation isolation;

	PostgresPythonInteroperabilityTests(PostgresEndpoint postgres, RabbitEndpoint rabbit, ServiceIsolation isolation) {
		this.rabbit = rabbit;
		this.isolation = isolation;
		this.store = new JdbcResultStore(ResultDatabases.postgresql(postgres, isolation),
				new CeleryResultFormat(new JsonMapper()));
		URI uri = URI.create(postgres.jdbcUrl().substring("jdbc:".length()));
		String password = postgres.password().isEmpty() ? "" : ":" + postgres.password();
		this.backendUrl = "db+postgresql://" + postgres.username() + password + "@" + uri.getHost() + ":"
				+ uri.getPort() + uri.getPath() + "?options=-csearch_path%3D" + isolation.schema();
	}

	@Override
	protected ResultStore store() {
		return this.store;
	}

	@Override
	protected String celeryBackendUrl() {
		return this.backendUrl;
	}

	@Override
	protected RabbitEndpoint rabbit() {
		return this.rabbit;
	}

	@Override
	protected ServiceIsolation isolation() {
		return this.isolation;
	}

}
