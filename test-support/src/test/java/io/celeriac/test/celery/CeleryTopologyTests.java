package io.celeriac.test.celery;

import java.util.List;
import java.util.Map;

import io.celeriac.test.services.PostgresEndpoint;
import io.celeriac.test.services.RabbitEndpoint;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for {@link CeleryTopology}: the names and environment it gives the Python app.
 *
 * @author Celeriac team
 */
class CeleryTopologyTests {

	private static final RabbitEndpoint RABBIT = new RabbitEndpoint("127.0.0.1", 5672, "guest", "gu@st", "/");

	@Test
	void brokerUrlEncodesTheVirtualHostAndCredentials() {
		assertThat(CeleryTopology.brokerUrl(RABBIT)).isEqualTo("amqp://guest:gu%40st@127.0.0.1:5672/%2F");
		assertThat(CeleryTopology.brokerUrl(new RabbitEndpoint("rabbit", 5673, "u", "p", "bench")))
			.isEqualTo("amqp://u:p@rabbit:5673/bench");
	}

	@Test
	void queueNamesArePrefixedAndIncludeTheCeleryAndMonitorQueues() {
		CeleryTopology topology = CeleryTopology.of(RABBIT, "x-task_exchange", "it1-", "pyservice", "reports");
		assertThat(topology.queueNames()).containsExactly("it1-celery", "it1-platform.fifo", "it1-pyservice",
				"it1-reports");
		assertThat(topology.monitorQueueName()).isEqualTo("it1-platform.fifo");
		assertThat(topology.withMonitorQueue(null).queueNames()).containsExactly("it1-celery", "it1-pyservice",
				"it1-reports");
		assertThat(topology.withMonitorQueue(null).monitorQueueName()).isNull();
	}

	@Test
	void environmentConfiguresThePythonApp() {
		CeleryTopology topology = CeleryTopology.of(RABBIT, "x-task_exchange", "it1-", "pyservice")
			.withoutDeclaring()
			.withQueueArguments(Map.of("x-queue-type", "quorum"));
		assertThat(topology.environment())
			.containsEntry("INTEROP_BROKER_URL", "amqp://guest:gu%40st@127.0.0.1:5672/%2F")
			.containsEntry("INTEROP_EXCHANGE", "x-task_exchange")
			.containsEntry("INTEROP_QUEUE_PREFIX", "it1-")
			.containsEntry("INTEROP_SERVICES", "pyservice")
			.containsEntry("INTEROP_MONITOR_QUEUE", "platform.fifo")
			.containsEntry("INTEROP_DECLARE", "0")
			.containsEntry("INTEROP_QUEUE_ARGUMENTS", "{\"x-queue-type\":\"quorum\"}");
	}

	@Test
	void databaseResultBackendPutsCelerysTablesInTheSchema() {
		PostgresEndpoint postgres = new PostgresEndpoint("jdbc:postgresql://127.0.0.1:5432/postgres?sslmode=disable",
				"postgres", "");
		String url = CeleryTopology.databaseResultBackend(postgres, "it1");
		assertThat(url).isEqualTo("db+postgresql://postgres:@127.0.0.1:5432/postgres?options=-csearch_path%3Dit1");
		assertThat(CeleryTopology.of(RABBIT, "x", "it1-", "pyservice").withResultBackend(url).environment())
			.containsEntry("INTEROP_RESULT_BACKEND", url);
		assertThat(CeleryTopology.of(RABBIT, "x", "it1-", "pyservice").environment())
			.containsEntry("INTEROP_RESULT_BACKEND", "");
	}

	@Test
	void aTopologyNeedsAServiceQueue() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new CeleryTopology("amqp://", "x", "p-", List.of(), null, true, Map.of(), null))
			.withMessage("At least one service queue is needed");
	}

}
