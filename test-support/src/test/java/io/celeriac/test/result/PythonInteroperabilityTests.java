package io.celeriac.test.result;

import java.time.Duration;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import io.celeriac.protocol.CeleryProtocol;
import io.celeriac.result.ResultWatcher;
import io.celeriac.result.TaskResult;
import io.celeriac.test.broker.RabbitTestBroker;
import io.celeriac.test.services.RabbitEndpoint;
import io.celeriac.test.services.ServiceIsolation;
import io.celeriac.topology.FirstSegmentTaskRouter;
import io.celeriac.topology.Topology;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.celeriac.result.ResultStore;
import io.celeriac.task.BrokerTaskClient;
import io.celeriac.task.TaskFailedException;
import io.celeriac.task.TaskHandle;
import io.celeriac.task.TaskOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Python Celery and Celeriac share a result backend both ways: Python's
 * {@code AsyncResult(id).get()} returns what a Java worker stored, or raises with the
 * Java exception's message, and a Java {@link TaskHandle} reads what Python Celery's
 * backend stored. Each backend's test extends it; skipped without Debian's
 * python3-celery.
 *
 * @author Celeriac team
 */
abstract class PythonInteroperabilityTests {

	private static final Duration WAIT = Duration.ofSeconds(20);

	private final JsonMapper mapper = new JsonMapper();

	private final List<String> ids = new ArrayList<>();

	private JavaWorker worker;

	private BrokerTaskClient client;

	/**
	 * Returns the store the Java side uses.
	 * @return the store
	 */
	protected abstract ResultStore store();

	/**
	 * Returns Python Celery's {@code result_backend} URL for the same data.
	 * @return the URL
	 */
	protected abstract String celeryBackendUrl();

	/**
	 * Returns the RabbitMQ the Python worker consumes from.
	 * @return the endpoint
	 */
	protected abstract RabbitEndpoint rabbit();

	/**
	 * Returns the test class's isolation, for the exchange and queues.
	 * @return the isolation
	 */
	protected abstract ServiceIsolation isolation();

	/**
	 * Removes what the tests stored under the given ids.
	 * @param taskIds the ids
	 */
	protected void cleanUp(List<String> taskIds) {
	}

	@BeforeEach
	void startJavaWorker() {
		this.worker = new JavaWorker(store());
		this.client = this.worker.client();
	}

	@AfterEach
	void stopJavaWorker() {
		this.worker.close();
		cleanUp(this.ids);
	}

	@Test
	void pythonReadsWhatAJavaWorkerStored() throws Exception {
		PythonCelery python = PythonCelery.require();
		TaskHandle<Map<String, Object>> ok = this.client.send("interop.report", List.of(7), Map.of(),
				TaskOptions.defaults(), Map.class);
		TaskHandle<Object> failed = this.client.send("interop.fail", List.of("disk full"), Map.of(),
				TaskOptions.defaults(), Object.class);
		this.ids.addAll(List.of(ok.id(), failed.id()));
		assertThat(ok.await(WAIT)).containsEntry("pages", 3);
		assertThatExceptionOfType(TaskFailedException.class).isThrownBy(() -> failed.await(WAIT));
		JsonNode read = python.run("read", celeryBackendUrl(), ok.id(), failed.id());
		JsonNode success = read.get(ok.id());
		assertThat(success.get("state").asString()).isEqualTo("SUCCESS");
		assertThat(success.get("value"))
			.isEqualTo(this.mapper.readTree("{\"report_id\": 7, \"format\": \"csv\", \"pages\": 3}"));
		JsonNode failure = read.get(failed.id());
		assertThat(failure.get("state").asString()).isEqualTo("FAILURE");
		assertThat(failure.get("error_type").asString()).isEqualTo("IllegalStateException");
		assertThat(failure.get("error").asString()).isEqualTo("disk full");
		assertThat(failure.get("traceback").asString()).contains("java.lang.IllegalStateException: disk full");
	}

	@Test
	void javaReadsWhatPythonCeleryStored() throws Exception {
		PythonCelery python = PythonCelery.require();
		String ok = UUID.randomUUID().toString();
		String failed = UUID.randomUUID().toString();
		this.ids.addAll(List.of(ok, failed));
		python.run("write", celeryBackendUrl(), ok, failed);
		TaskHandle<Map<String, Object>> okHandle = this.client.handle(ok, Map.class);
		assertThat(okHandle.await(WAIT)).containsEntry("answer", 42)
			.containsEntry("items", Arrays.asList(1, "two", 3.5, null, true));
		TaskHandle<Object> failedHandle = this.client.handle(failed, Object.class);
		assertThatExceptionOfType(TaskFailedException.class).isThrownBy(() -> failedHandle.await(WAIT))
			.withMessageContaining("ValueError")
			.withMessageContaining("python says no");
		assertThat(store().find(failed).orElseThrow().failure().traceback()).contains("ValueError: python says no");
	}

	@Test
	void javaReadsWhatAPythonCeleryWorkerStored() throws Exception {
		PythonCelery python = PythonCelery.require();
		try (RabbitTestBroker rabbit = new RabbitTestBroker(rabbit(), isolation())) {
			Topology topology = rabbit.newTopology("pyinterop");
			rabbit.broker().declare(topology);
			RabbitEndpoint endpoint = rabbit();
			String broker = "amqp://" + endpoint.username() + ":" + endpoint.password() + "@" + endpoint.host() + ":"
					+ endpoint.port() + "/" + URLEncoder.encode(endpoint.virtualHost(), StandardCharsets.UTF_8);
			Process worker = python.startWorker(broker, celeryBackendUrl(), topology.exchange(),
					topology.queueName("pyinterop"));
			ResultWatcher watcher = new ResultWatcher(store());
			try {
				BrokerTaskClient client = new BrokerTaskClient(rabbit.broker(), topology, new FirstSegmentTaskRouter(),
						new CeleryProtocol(this.mapper), watcher);
				TaskHandle<Map<String, Object>> ok = client.send("pyinterop.multiply", List.of(6, 7), Map.of(),
						TaskOptions.defaults(), Map.class);
				TaskHandle<Object> failed = client.send("pyinterop.fail", List.of("python worker says no"), Map.of(),
						TaskOptions.defaults(), Object.class);
				this.ids.addAll(List.of(ok.id(), failed.id()));
				assertThat(ok.await(WAIT)).containsEntry("product", 42).containsEntry("factors", List.of(6, 7));
				assertThatExceptionOfType(TaskFailedException.class).isThrownBy(() -> failed.await(WAIT))
					.withMessageContaining("ValueError")
					.withMessageContaining("python worker says no");
				TaskResult stored = store().find(ok.id()).orElseThrow();
				assertThat(stored.name()).isEqualTo("pyinterop.multiply");
				assertThat(stored.worker()).isEqualTo("pyinterop@test");
				assertThat(stored.queue()).isEqualTo("pyinterop");
				assertThat(stored.args()).isEqualTo(this.mapper.readTree("[6, 7]"));
				assertThat(store().find(failed.id()).orElseThrow().failure().traceback())
					.contains("ValueError: python worker says no");
			}
			finally {
				watcher.destroy();
				worker.destroy();
				if (!worker.waitFor(5, TimeUnit.SECONDS)) {
					worker.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
				}
			}
		}
	}

}
