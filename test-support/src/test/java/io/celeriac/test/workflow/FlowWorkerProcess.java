package io.celeriac.test.workflow;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

import io.celeriac.broker.Broker;
import io.celeriac.broker.rabbit.RabbitBroker;
import io.celeriac.broker.redis.RedisBroker;
import io.celeriac.protocol.CeleryProtocol;
import io.celeriac.result.CeleryResultFormat;
import io.celeriac.result.ResultStore;
import io.celeriac.result.jdbc.JdbcResultStore;
import io.celeriac.result.redis.RedisResultStore;
import io.celeriac.task.Deferrable;
import io.celeriac.task.TaskMethod;
import io.celeriac.task.TaskRegistry;
import io.celeriac.test.services.SqsEndpoint;
import io.celeriac.topology.FirstSegmentTaskRouter;
import io.celeriac.topology.QueueType;
import io.celeriac.topology.Topology;
import io.celeriac.worker.ErrorQueue;
import io.celeriac.worker.TaskWorker;
import io.celeriac.worker.WorkerSettings;
import io.celeriac.workflow.ChordCompletion;
import io.celeriac.workflow.ChordJoin;
import io.celeriac.workflow.ChordUnlockJoin;
import io.celeriac.workflow.SignaturePublisher;
import io.celeriac.workflow.WorkflowContinuation;
import io.celeriac.workflow.WorkflowSettings;
import io.celeriac.workflow.redis.RedisChordJoin;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * A Java worker for service {@code jflow} in a process of its own, for the test that
 * kills it during a chord's header. Arguments: rabbit host, port, username, password,
 * virtual host (or {@code redis <host> <port> <key prefix>} for the Redis broker, or
 * {@code sqs <endpoint-url> <region> <queue prefix>} for the SQS broker), exchange,
 * queue-name prefix, then {@code jdbc <url> <user> <password>} or
 * {@code redis <host> <port>}. Prints {@code READY} once it consumes.
 *
 * @author Celeriac team
 */
public final class FlowWorkerProcess {

	private FlowWorkerProcess() {
	}

	public static void main(String[] arguments) throws Exception {
		Broker broker;
		String[] args;
		boolean sqs = "sqs".equals(arguments[0]);
		if (sqs) {
			// credentials as the test run resolves them (ElasticMQ takes any)
			broker = FlowBroker.sqsBroker(new SqsEndpoint(arguments[1], arguments[2],
					System.getenv().getOrDefault("AWS_ACCESS_KEY_ID", "celeriac"),
					System.getenv().getOrDefault("AWS_SECRET_ACCESS_KEY", "celeriac"))
				.client());
			args = shift(arguments);
			if (!arguments[3].equals(args[6])) {
				throw new IllegalArgumentException("The SQS queue prefix '" + arguments[3]
						+ "' is not the topology's queue-name prefix '" + args[6] + "'");
			}
		}
		else if ("redis".equals(arguments[0])) {
			LettuceConnectionFactory factory = new LettuceConnectionFactory(
					new RedisStandaloneConfiguration(arguments[1], Integer.parseInt(arguments[2])));
			factory.afterPropertiesSet();
			factory.start();
			broker = new RedisBroker(factory, arguments[3], Duration.ofSeconds(60), Duration.ofSeconds(1));
			args = shift(arguments);
		}
		else {
			args = arguments;
			CachingConnectionFactory connectionFactory = new CachingConnectionFactory(args[0],
					Integer.parseInt(args[1]));
			connectionFactory.setUsername(args[2]);
			connectionFactory.setPassword(args[3]);
			connectionFactory.setVirtualHost(args[4]);
			broker = new RabbitBroker(connectionFactory, Duration.ofSeconds(10));
		}
		Topology topology = new Topology(args[5], args[6], null, Set.of("pyservice", "jflow"), QueueType.CLASSIC,
				".error");
		if (sqs) {
			// SQS has no exchanges: a producer knows the bindings it declared
			broker.declare(topology);
		}
		JsonMapper mapper = new JsonMapper();
		CeleryResultFormat format = new CeleryResultFormat(mapper);
		CeleryProtocol protocol = new CeleryProtocol(mapper);
		FirstSegmentTaskRouter router = new FirstSegmentTaskRouter();
		WorkerSettings settings = new WorkerSettings("java@killed", List.of("jflow"), 1, 1, 1 << 20, true,
				Duration.ofSeconds(5), Duration.ofSeconds(10));
		SignaturePublisher publisher = new SignaturePublisher(broker, topology, router, protocol, List.of());
		ResultStore store;
		ChordJoin join;
		if ("redis".equals(args[7])) {
			LettuceConnectionFactory redis = new LettuceConnectionFactory(
					new RedisStandaloneConfiguration(args[8], Integer.parseInt(args[9])));
			redis.afterPropertiesSet();
			store = new RedisResultStore(redis, format, "", Duration.ofMinutes(5));
			join = new RedisChordJoin(redis, "", Duration.ofMinutes(5),
					new ChordCompletion(publisher, store, settings.name(), 10_000), format);
		}
		else {
			store = new JdbcResultStore(new DriverManagerDataSource(args[8], args[9], args[10]), format);
			join = new ChordUnlockJoin(new ChordCompletion(publisher, store, settings.name(), 10_000), store,
					WorkflowSettings.defaults(), 10_000);
		}
		ChordCompletion completion = new ChordCompletion(publisher, store, settings.name(), 10_000);
		WorkflowContinuation continuation = new WorkflowContinuation(publisher, join,
				new ChordUnlockJoin(completion, store, WorkflowSettings.defaults(), 10_000), store, settings.name(),
				10_000);
		TaskRegistry registry = new TaskRegistry();
		FlowTasks tasks = new FlowTasks();
		for (var method : FlowTasks.class.getDeclaredMethods()) {
			Deferrable deferrable = method.getAnnotation(Deferrable.class);
			if (deferrable != null) {
				registry.register(new TaskMethod(deferrable.name(), tasks, method));
			}
		}
		TaskWorker worker = TaskWorker
			.builder(broker, registry, protocol,
					new ErrorQueue(broker, topology, settings.name(), settings.confirmTimeout()), topology, router,
					settings)
			.results(store)
			.workflows(continuation)
			.build();
		worker.start();
		System.out.println("READY");
		System.out.flush();
		new CountDownLatch(1).await();
	}

	/**
	 * Returns the arguments after a four-argument broker form where the RabbitMQ form has
	 * them.
	 */
	private static String[] shift(String[] arguments) {
		String[] args = new String[arguments.length + 1];
		System.arraycopy(arguments, 4, args, 5, arguments.length - 4);
		return args;
	}

}
