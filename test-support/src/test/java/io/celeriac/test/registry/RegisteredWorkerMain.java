package io.celeriac.test.registry;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

import io.celeriac.broker.memory.InMemoryBroker;
import io.celeriac.protocol.CeleryProtocol;
import io.celeriac.registry.RunningTasks;
import io.celeriac.worker.WorkerHeartbeat;
import io.celeriac.registry.WorkerRegistry;
import io.celeriac.registry.redis.RedisWorkerRegistry;
import io.celeriac.task.TaskRegistry;
import io.celeriac.test.redis.RedisConnections;
import io.celeriac.topology.FirstSegmentTaskRouter;
import io.celeriac.topology.QueueType;
import io.celeriac.topology.Topology;
import io.celeriac.worker.ErrorQueue;
import io.celeriac.worker.TaskWorker;
import io.celeriac.worker.WorkerSettings;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * A worker in a child JVM for {@link WorkerProcessesOnOneHostTests}: announced in the
 * Redis worker registry under its default name, it prints {@code registered <id>} and
 * unregisters when it is asked to stop (SIGTERM). Arguments: Redis host, port, key
 * prefix.
 *
 * @author Celeriac team
 */
public final class RegisteredWorkerMain {

	private RegisteredWorkerMain() {
	}

	public static void main(String[] args) throws Exception {
		LettuceConnectionFactory connections = RedisConnections.start(args[0], Integer.parseInt(args[1]));
		WorkerHeartbeat heartbeat = heartbeat(new RedisWorkerRegistry(connections, args[2]));
		Runtime.getRuntime().addShutdownHook(new Thread(heartbeat::stop));
		heartbeat.start();
		System.out.println("registered " + heartbeat.describe().id());
		System.out.flush();
		new CountDownLatch(1).await();
	}

	/**
	 * Returns the heartbeat of a worker named by default, with a window long enough that
	 * only unregistering removes it during a test.
	 * @param registry the registry
	 * @return the heartbeat, not started
	 */
	static WorkerHeartbeat heartbeat(WorkerRegistry registry) {
		InMemoryBroker broker = new InMemoryBroker();
		Topology topology = new Topology("celeriac", "dev-", null, Set.of("reports"), QueueType.CLASSIC, ".error");
		WorkerSettings settings = new WorkerSettings(WorkerSettings.defaultName(), List.of("reports"), 1, 1, 1 << 20,
				false, Duration.ofSeconds(1), Duration.ofSeconds(5));
		TaskWorker worker = new TaskWorker(broker, new TaskRegistry(), new CeleryProtocol(JsonMapper.builder().build()),
				null, new ErrorQueue(broker, topology, settings.name(), settings.confirmTimeout()), topology,
				new FirstSegmentTaskRouter(), settings);
		return new WorkerHeartbeat(registry, worker, settings.name(), new RunningTasks(), Duration.ofSeconds(1), 120);
	}

}
