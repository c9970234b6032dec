package io.celeriac.test.result;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import io.celeriac.broker.memory.InMemoryBroker;
import io.celeriac.protocol.CeleryProtocol;
import io.celeriac.result.ResultStore;
import io.celeriac.result.ResultWatcher;
import io.celeriac.task.BrokerTaskClient;
import io.celeriac.task.TaskMethod;
import io.celeriac.task.TaskRegistry;
import io.celeriac.topology.FirstSegmentTaskRouter;
import io.celeriac.topology.QueueType;
import io.celeriac.topology.Topology;
import io.celeriac.worker.ErrorQueue;
import io.celeriac.worker.TaskWorker;
import io.celeriac.worker.WorkerSettings;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * A Celeriac worker on an in-memory broker that records outcomes in the store under test,
 * with a client to send it tasks: {@code interop.report(id)} returns a report map,
 * {@code interop.fail(why)} throws {@link IllegalStateException}.
 *
 * @author Celeriac team
 */
final class JavaWorker implements AutoCloseable {

	private final InMemoryBroker broker = new InMemoryBroker();

	private final TaskWorker worker;

	private final ResultWatcher watcher;

	private final BrokerTaskClient client;

	JavaWorker(ResultStore store) {
		Topology topology = new Topology("interop-" + UUID.randomUUID(), "interop-", "platform.fifo", Set.of("interop"),
				QueueType.CLASSIC, ".error");
		this.broker.declare(topology);
		TaskRegistry registry = new TaskRegistry();
		Tasks tasks = new Tasks();
		try {
			registry.register(new TaskMethod("interop.report", tasks, Tasks.class.getMethod("report", int.class)));
			registry.register(new TaskMethod("interop.fail", tasks, Tasks.class.getMethod("fail", String.class)));
		}
		catch (NoSuchMethodException ex) {
			throw new IllegalStateException(ex);
		}
		WorkerSettings settings = new WorkerSettings("java@interop", List.of("interop"), 2, 4, 1 << 20, true,
				Duration.ofSeconds(5), Duration.ofSeconds(5));
		CeleryProtocol protocol = new CeleryProtocol(
				JsonMapper.builder().disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT).build());
		FirstSegmentTaskRouter router = new FirstSegmentTaskRouter();
		this.worker = TaskWorker
			.builder(this.broker, registry, protocol,
					new ErrorQueue(this.broker, topology, settings.name(), settings.confirmTimeout()), topology, router,
					settings)
			.results(store)
			.build();
		this.watcher = new ResultWatcher(store);
		this.client = new BrokerTaskClient(this.broker, topology, router, protocol, this.watcher);
		this.worker.start();
	}

	BrokerTaskClient client() {
		return this.client;
	}

	@Override
	public void close() {
		this.worker.stop();
		this.watcher.destroy();
	}

	/**
	 * The Java tasks of these tests.
	 */
	public static class Tasks {

		/**
		 * Returns a report description, as the Python sample does.
		 * @param id the report id
		 * @return the report
		 */
		public Map<String, Object> report(int id) {
			return Map.of("report_id", id, "format", "csv", "pages", 3);
		}

		/**
		 * Always fails.
		 * @param why the message
		 * @return never
		 */
		public String fail(String why) {
			throw new IllegalStateException(why);
		}

	}

}
