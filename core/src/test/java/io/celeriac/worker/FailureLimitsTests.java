package io.celeriac.worker;

import java.time.Duration;
import java.util.Map;
import java.util.Set;

import io.celeriac.errorqueue.ErrorHeaders;
import io.celeriac.broker.Delivery;
import io.celeriac.broker.memory.InMemoryBroker;
import io.celeriac.protocol.ErrorKind;
import io.celeriac.protocol.WireMessage;
import io.celeriac.result.FailureLimits;
import io.celeriac.result.TaskFailure;
import io.celeriac.topology.QueueType;
import io.celeriac.topology.Topology;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Exception messages and tracebacks are cut to their limits in failures (result rows) and
 * error-queue headers.
 *
 * @author Celeriac team
 */
class FailureLimitsTests {

	private final FailureLimits limits = new FailureLimits(100, 1_000);

	@Test
	void aFailureKeepsAtMostTheLimitsAndSaysItWasCut() {
		TaskFailure failure = this.limits
			.apply(TaskFailure.of(new IllegalStateException("m".repeat(50_000)), "t".repeat(200_000)));
		assertThat(failure.message()).hasSize(100).endsWith("...");
		assertThat(failure.traceback()).hasSize(1_000).endsWith("...");
		assertThat(failure.exceptionType()).isEqualTo("IllegalStateException");
	}

	@Test
	void shortTextIsKeptAsItIs() {
		TaskFailure failure = TaskFailure.of(new IllegalStateException("short"), "trace");
		assertThat(this.limits.apply(failure)).isSameAs(failure);
		assertThat(this.limits.message(null)).isNull();
	}

	@Test
	void aNulInTheTracebackIsWrittenAsPythonPrintsIt() {
		TaskFailure failure = this.limits.apply(TaskFailure.of(new IllegalStateException("bad\0byte"), "at bad\0byte"));
		assertThat(failure.traceback()).isEqualTo("at bad\\x00byte").doesNotContain("\0");
		assertThat(failure.message()).isEqualTo("bad\0byte");
	}

	@Test
	void theDefaultsAreFourKibOfMessageAndSixtyFourKibOfTraceback() {
		assertThat(FailureLimits.DEFAULTS).isEqualTo(new FailureLimits(4096, 65536));
	}

	@Test
	void limitsTooSmallAreRefusedNamingTheProperties() {
		assertThatIllegalArgumentException().isThrownBy(() -> new FailureLimits(2, 1_000))
			.withMessageContaining("celeriac.result.max-message-size");
	}

	@Test
	void errorQueueHeadersAreCut() {
		InMemoryBroker broker = new InMemoryBroker();
		Topology topology = new Topology("task_exchange", "test-", null, Set.of("reports"), QueueType.CLASSIC,
				".error");
		broker.declare(topology);
		broker.publish("task_exchange", "reports", new WireMessage(new byte[0], "application/json", "utf-8",
				Map.of("id", "t1"), "t1", null, 0, true, null));
		Delivery delivery = broker.get("test-reports");
		assertThat(delivery).isNotNull();
		ErrorQueue errorQueue = new ErrorQueue(broker, topology, "w", Duration.ofSeconds(5), this.limits);
		RuntimeException huge = new IllegalStateException("x".repeat(100_000));
		errorQueue.send(delivery, ErrorKind.TASK_FAILED, "failed: " + huge.getMessage(), huge);
		delivery.ack();
		Delivery moved = broker.get("test-reports.error");
		assertThat(moved).isNotNull();
		assertThat(moved.message().headers().get(ErrorHeaders.REASON).toString()).hasSize(100);
		assertThat(moved.message().headers().get(ErrorHeaders.STACK_TRACE).toString()).hasSize(1_000);
	}

}
