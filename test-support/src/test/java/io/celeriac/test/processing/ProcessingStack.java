package io.celeriac.test.processing;

import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;

import io.celeriac.broker.Broker;
import io.celeriac.processing.CachedOperations;
import io.celeriac.processing.OperationBeanPostProcessor;
import io.celeriac.processing.OperationRegistry;
import io.celeriac.processing.OperationStore;
import io.celeriac.processing.OperationTasks;
import io.celeriac.processing.ProcessingSettings;
import io.celeriac.protocol.CeleryProtocol;
import io.celeriac.task.BrokerTaskClient;
import io.celeriac.task.TaskClient;
import io.celeriac.task.TaskRegistry;
import io.celeriac.topology.FirstSegmentTaskRouter;
import io.celeriac.topology.Topology;
import io.celeriac.worker.ErrorQueue;
import io.celeriac.worker.TaskWorker;
import io.celeriac.worker.WorkerSettings;
import tools.jackson.databind.json.JsonMapper;

/**
 * Cached operations on {@link Documents} wired by hand on a broker and a store: the
 * service, and a worker that is not started yet.
 *
 * @param documents the operations
 * @param operations the service
 * @param worker the worker, to start
 * @author Celeriac team
 */
record ProcessingStack(Documents documents, CachedOperations operations, TaskWorker worker) {

	static ProcessingStack of(Broker broker, Topology topology, OperationStore store, String workerName,
			int concurrency) {
		return of(broker, topology, store, workerName, concurrency, UnaryOperator.identity());
	}

	/**
	 * Wires the stack, the service sending its processing tasks through a client of the
	 * test's making around the real one.
	 */
	static ProcessingStack of(Broker broker, Topology topology, OperationStore store, String workerName,
			int concurrency, UnaryOperator<TaskClient> callersClient) {
		Documents documents = new Documents();
		CeleryProtocol protocol = new CeleryProtocol(JsonMapper.builder().build());
		FirstSegmentTaskRouter router = new FirstSegmentTaskRouter();
		BrokerTaskClient client = new BrokerTaskClient(broker, topology, router, protocol, null);
		OperationRegistry registry = new OperationRegistry();
		new OperationBeanPostProcessor(registry).postProcessAfterInitialization(documents, "documents");
		ProcessingSettings settings = CachedOperationsContractTests.settings();
		CachedOperations operations = new CachedOperations(store, registry, callersClient.apply(client),
				protocol.mapper(), settings);
		OperationTasks tasks = new OperationTasks(operations, store, registry, client, protocol.mapper(), settings,
				List.of(documents));
		TaskRegistry taskRegistry = new TaskRegistry();
		tasks.registerTasks(taskRegistry);
		WorkerSettings workerSettings = new WorkerSettings(workerName, List.of(), concurrency, 1, 65536, false,
				Duration.ofSeconds(5), Duration.ofSeconds(10));
		ErrorQueue errorQueue = new ErrorQueue(broker, topology, workerSettings.name(),
				workerSettings.confirmTimeout());
		TaskWorker worker = TaskWorker
			.builder(broker, taskRegistry, protocol, errorQueue, topology, router, workerSettings)
			.build();
		return new ProcessingStack(documents, operations, worker);
	}

}
