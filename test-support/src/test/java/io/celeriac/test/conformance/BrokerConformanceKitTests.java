package io.celeriac.test.conformance;

import java.util.Set;

import io.celeriac.broker.memory.InMemoryBroker;
import io.celeriac.result.memory.InMemoryResultStore;
import io.celeriac.task.TaskRegistry;
import io.celeriac.test.broker.SqsTestBroker;
import io.celeriac.test.services.RealServices;
import io.celeriac.test.services.ServiceIsolation;
import io.celeriac.test.services.SqsEndpoint;
import io.celeriac.topology.ExchangeType;
import io.celeriac.topology.FirstSegmentTaskRouter;
import io.celeriac.topology.QueueType;
import io.celeriac.topology.Topology;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The conformance kit on brokers whose bindings live in the producer: on SQS (ElasticMQ
 * in the test JVM) and in memory it passes for the declared topology on the configured
 * exchange type, and fails, naming the queue, where a probe does not arrive.
 *
 * @author Celeriac team
 */
@RealServices
class BrokerConformanceKitTests {

	@Test
	void aTopologyDeclaredOnSqsConforms(SqsEndpoint endpoint, ServiceIsolation isolation) {
		try (SqsTestBroker sqs = new SqsTestBroker(endpoint, isolation)) {
			Topology topology = sqs.newTopology("reports", "exports");
			sqs.broker().declare(topology);
			ConformanceReport report = kit(topology, sqs.broker()).check();
			assertThat(report.failures()).isEmpty();
			assertThat(report.checks()).extracting(ConformanceCheck::name)
				.contains("monitor queue '" + topology.monitorQueueName() + "' receives every task (topic exchange)",
						"service queue '" + topology.queueName("reports")
								+ "' receives the tasks routed 'reports' (topic exchange)");
		}
	}

	@Test
	void aFanoutTopologyOnSqsConformsAsFanout(SqsEndpoint endpoint, ServiceIsolation isolation) {
		try (SqsTestBroker sqs = new SqsTestBroker(endpoint, isolation)) {
			Topology topology = sqs.newTopology("reports").withExchangeType(ExchangeType.FANOUT);
			sqs.broker().declare(topology);
			ConformanceReport report = kit(topology, sqs.broker()).check();
			assertThat(report.failures()).isEmpty();
			assertThat(report.checks()).extracting(ConformanceCheck::name)
				.contains("monitor queue '" + topology.monitorQueueName() + "' receives every task (fanout exchange)");
		}
	}

	@Test
	void aServiceTheBrokerDoesNotRouteToFailsNamingItsQueue(SqsEndpoint endpoint, ServiceIsolation isolation) {
		try (SqsTestBroker sqs = new SqsTestBroker(endpoint, isolation)) {
			Topology declared = sqs.newTopology("reports");
			sqs.broker().declare(declared);
			// the application expects an exports queue that its producer never declared
			Topology expected = new Topology(declared.exchange(), declared.queueNamePrefix(), "platform.fifo",
					Set.of("reports", "exports"), QueueType.CLASSIC, ".error");
			ConformanceReport report = kit(expected, sqs.broker()).check();
			assertThat(report.failures()).extracting(ConformanceCheck::name)
				.containsExactly("service queue '" + expected.queueName("exports")
						+ "' receives the tasks routed 'exports' (topic exchange)");
		}
	}

	@Test
	void aDirectTopologyInMemoryConformsButForItsMissingMonitorQueue() {
		InMemoryBroker broker = new InMemoryBroker();
		Topology topology = new Topology("tasks", "dev-", null, Set.of("reports"), QueueType.CLASSIC, ".error", 0,
				ExchangeType.DIRECT);
		broker.declare(topology);
		ConformanceReport report = kit(topology, broker).check();
		assertThat(report.failures()).singleElement().satisfies((failure) -> {
			assertThat(failure.name()).isEqualTo("monitor queue");
			assertThat(failure.fix()).contains("celeriac.topology.exchange-type=topic");
		});
		assertThat(report.checks()).extracting(ConformanceCheck::name)
			.contains("service queue 'dev-reports' receives the tasks routed 'reports' (direct exchange)");
	}

	private static ConformanceKit kit(Topology topology, io.celeriac.broker.Broker broker) {
		return new ConformanceKit(topology, new TaskRegistry(), new FirstSegmentTaskRouter(), new InMemoryResultStore(),
				broker);
	}

}
