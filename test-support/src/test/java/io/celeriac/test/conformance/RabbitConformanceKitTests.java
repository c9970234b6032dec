package io.celeriac.test.conformance;

import io.celeriac.result.memory.InMemoryResultStore;
import io.celeriac.task.TaskRegistry;
import io.celeriac.test.broker.RabbitTestBroker;
import io.celeriac.test.services.RabbitEndpoint;
import io.celeriac.test.services.RealServices;
import io.celeriac.test.services.ServiceIsolation;
import io.celeriac.topology.ExchangeType;
import io.celeriac.topology.FirstSegmentTaskRouter;
import io.celeriac.topology.Topology;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The conformance kit on the real RabbitMQ checks the exchange type the application
 * configures ({@code celeriac.topology.exchange-type}): a fanout topology conforms as
 * fanout, and a kit expecting topic on that exchange reports the mismatch with its fix.
 *
 * @author Celeriac team
 */
@RealServices
class RabbitConformanceKitTests {

	@Test
	void theConfiguredExchangeTypeIsChecked(RabbitEndpoint endpoint, ServiceIsolation isolation) {
		try (RabbitTestBroker rabbit = new RabbitTestBroker(endpoint, isolation)) {
			Topology fanout = rabbit.newTopology("reports").withExchangeType(ExchangeType.FANOUT);
			rabbit.broker().declare(fanout);
			ConformanceReport asFanout = kit(fanout, endpoint).check();
			assertThat(asFanout.failures()).isEmpty();
			assertThat(asFanout.checks()).extracting(ConformanceCheck::name)
				.contains("exchange '" + fanout.exchange() + "' is a durable fanout exchange");

			Topology topic = fanout.withExchangeType(ExchangeType.TOPIC);
			ConformanceReport asTopic = kit(topic, endpoint).check();
			assertThat(asTopic.failures()).extracting(ConformanceCheck::name)
				.contains("exchange '" + fanout.exchange() + "' is a durable topic exchange");
			assertThat(asTopic.failures()).filteredOn((check) -> check.name().contains("topic exchange"))
				.singleElement()
				.satisfies((check) -> assertThat(check.fix()).contains("celeriac.topology.exchange-type"));
		}
	}

	private static ConformanceKit kit(Topology topology, RabbitEndpoint endpoint) {
		return new ConformanceKit(topology, new TaskRegistry(), new FirstSegmentTaskRouter(), new InMemoryResultStore(),
				endpoint.connectionFactory());
	}

}
