package io.celeriac.topology;

import java.util.Set;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link Topology} and {@link FirstSegmentTaskRouter}.
 *
 * @author Celeriac team
 */
class TopologyTests {

	private final Topology topology = new Topology("task_exchange", "dev-", "platform.fifo", Set.of("reports"),
			QueueType.CLASSIC, ".error");

	@Test
	void prefixesQueueNamesButNotRoutingKeys() {
		assertThat(this.topology.bindings()).containsExactly(new Topology.QueueBinding("dev-platform.fifo", "#"),
				new Topology.QueueBinding("dev-celery", "celery"), new Topology.QueueBinding("dev-reports", "reports"));
	}

	@Test
	void everyServiceQueueHasAnErrorQueue() {
		assertThat(this.topology.errorQueueNames()).containsExactly("dev-celery.error", "dev-reports.error",
				"dev-platform.fifo.error");
		assertThat(this.topology.errorQueueName("dev-reports")).isEqualTo("dev-reports.error");
		assertThat(this.topology.monitorErrorQueueName()).isEqualTo("dev-platform.fifo.error");
	}

	@Test
	void tellsTheServiceAndErrorQueueOfAQueueOrAnErrorQueue() {
		Topology.ServiceQueue reports = new Topology.ServiceQueue("reports", "dev-reports", "dev-reports.error", false);
		assertThat(this.topology.serviceQueue("dev-reports")).isEqualTo(reports);
		assertThat(this.topology.serviceQueue("dev-reports.error")).isEqualTo(reports);
		assertThat(this.topology.serviceQueue("dev-platform.fifo.error")).isEqualTo(
				new Topology.ServiceQueue("platform.fifo", "dev-platform.fifo", "dev-platform.fifo.error", true));
		// a queue outside the prefix, which a worker may be told to consume
		assertThat(this.topology.serviceQueue("other"))
			.isEqualTo(new Topology.ServiceQueue("other", "other", "other.error", false));
	}

	@Test
	void anEmptyMonitorQueueMeansNone() {
		Topology without = new Topology("x", "p-", "", Set.of(), QueueType.CLASSIC, ".error");
		assertThat(without.monitorQueueName()).isNull();
		assertThat(without.bindings()).containsExactly(new Topology.QueueBinding("p-celery", "celery"));
	}

	@Test
	void routesByTheFirstSegmentOfTheTaskName() {
		TaskRouter router = new FirstSegmentTaskRouter();
		assertThat(router.routingKey("reports.generate")).isEqualTo("reports");
		assertThat(router.routingKey("reports.pdf.render")).isEqualTo("reports");
		assertThat(router.routingKey("standalone")).isEqualTo("standalone");
	}

}
