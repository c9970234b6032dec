package io.celeriac.test.delay;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;

import io.celeriac.broker.rabbit.RabbitBroker;
import io.celeriac.delay.DelayedTaskScheduler;
import io.celeriac.delay.redis.RedisDelayedTaskStore;
import io.celeriac.protocol.CeleryProtocol;
import io.celeriac.task.BrokerTaskClient;
import io.celeriac.task.TaskHandle;
import io.celeriac.task.TaskMethod;
import io.celeriac.task.TaskOptions;
import io.celeriac.task.TaskRegistry;
import io.celeriac.test.broker.RedisTestBroker;
import io.celeriac.test.services.RedisEndpoint;
import io.celeriac.topology.FirstSegmentTaskRouter;
import io.celeriac.topology.QueueType;
import io.celeriac.topology.Topology;
import io.celeriac.worker.ErrorQueue;
import io.celeriac.worker.TaskWorker;
import io.celeriac.worker.WorkerSettings;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * A producer or a worker in a child JVM for {@link DelayedTasksSurviveRestartsTests}, on
 * RabbitMQ with delayed tasks in Redis. {@code producer <eta>...} sends one
 * {@code restart.run(index, eta)} task per eta (epoch milliseconds), prints {@code SENT}
 * once RabbitMQ confirmed them all, then waits to be stopped. {@code worker} runs a
 * worker and a delayed task scheduler; each task prints {@code ran <index> <eta> <now>}.
 * Connection settings come from system properties.
 *
 * @author Celeriac team
 */
public final class DelayedRestartMain {

	private DelayedRestartMain() {
	}

	public static void main(String[] args) throws Exception {
		CachingConnectionFactory rabbit = new CachingConnectionFactory(System.getProperty("rabbit.host"),
				Integer.getInteger("rabbit.port"));
		rabbit.setUsername(System.getProperty("rabbit.username"));
		rabbit.setPassword(System.getProperty("rabbit.password"));
		rabbit.setVirtualHost(System.getProperty("rabbit.virtual-host"));
		RabbitBroker broker = new RabbitBroker(rabbit, Duration.ofSeconds(5));
		Topology topology = new Topology(System.getProperty("exchange"), System.getProperty("queue-prefix"),
				"platform.fifo", Set.of("restart"), QueueType.CLASSIC, ".error");
		CeleryProtocol protocol = new CeleryProtocol(JsonMapper.builder().build());
		FirstSegmentTaskRouter router = new FirstSegmentTaskRouter();
		if (args[0].equals("producer")) {
			BrokerTaskClient client = new BrokerTaskClient(broker, topology, router, protocol, null);
			List<CompletableFuture<TaskHandle<Object>>> sent = new ArrayList<>();
			for (int i = 1; i < args.length; i++) {
				long eta = Long.parseLong(args[i]);
				sent.add(client.sendAsync("restart.run", List.of(i - 1, eta), Map.of(),
						TaskOptions.defaults().withEta(Instant.ofEpochMilli(eta)), Object.class));
			}
			CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).join();
			System.out.println("SENT " + sent.size());
		}
		else {
			LettuceConnectionFactory redis = RedisTestBroker.connectionFactory(
					new RedisEndpoint(System.getProperty("redis.host"), Integer.getInteger("redis.port")));
			RedisDelayedTaskStore store = new RedisDelayedTaskStore(redis, System.getProperty("redis.key-prefix"),
					JsonMapper.builder().build());
			DelayedTaskScheduler scheduler = new DelayedTaskScheduler(store, broker, new DelayedTaskScheduler.Settings(
					Duration.ofMillis(50), 100, Duration.ofSeconds(3), Duration.ofSeconds(2)));
			TaskRegistry registry = new TaskRegistry();
			registry.register(
					new TaskMethod("restart.run", new Tasks(), Tasks.class.getMethod("run", int.class, long.class)));
			WorkerSettings settings = new WorkerSettings("restart@" + ProcessHandle.current().pid(), List.of("restart"),
					2, 10, 65536, false, Duration.ofSeconds(5), Duration.ofSeconds(5));
			TaskWorker worker = TaskWorker
				.builder(broker, registry, protocol,
						new ErrorQueue(broker, topology, settings.name(), settings.confirmTimeout()), topology, router,
						settings)
				.delayedTasks(store)
				.build();
			Runtime.getRuntime().addShutdownHook(new Thread(() -> {
				worker.stop();
				scheduler.stop();
			}));
			scheduler.start();
			worker.start();
			System.out.println("READY");
		}
		// nothing counts down: the process runs until the test stops or kills it
		new CountDownLatch(1).await();
	}

	/**
	 * The task: prints its index, its eta and when it ran.
	 */
	public static final class Tasks {

		public void run(int index, long eta) {
			System.out.println("ran " + index + " " + eta + " " + System.currentTimeMillis());
			System.out.flush();
		}

	}

}
