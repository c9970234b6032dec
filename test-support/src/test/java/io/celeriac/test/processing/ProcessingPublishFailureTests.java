package io.celeriac.test.processing;

import java.lang.reflect.Type;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import io.celeriac.broker.memory.InMemoryBroker;
import io.celeriac.processing.OperationOutcome;
import io.celeriac.processing.ProcessingOutcome;
import io.celeriac.processing.memory.InMemoryOperationStore;
import io.celeriac.task.TaskClient;
import io.celeriac.task.TaskHandle;
import io.celeriac.task.TaskOptions;
import io.celeriac.task.TaskPublishException;
import io.celeriac.test.processing.Documents.Reply;
import io.celeriac.topology.QueueType;
import io.celeriac.topology.Topology;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * A processing task that could not be sent: the caller gets the error at once, and the
 * next request starts the processing again instead of joining one that never runs, with
 * the first caller's callback arguments still pending.
 *
 * @author Celeriac team
 */
class ProcessingPublishFailureTests {

	private final InMemoryBroker broker = new InMemoryBroker();

	private final AtomicInteger failuresLeft = new AtomicInteger(1);

	private ProcessingStack stack;

	@AfterEach
	void stop() {
		if (this.stack != null) {
			this.stack.worker().stop();
		}
	}

	@Test
	void theNextRequestAfterAFailedSendStartsTheProcessingAgainAndEveryCallerIsCalledBack() {
		Topology topology = new Topology("task_exchange", "test-", "platform.fifo",
				Set.of(CachedOperationsContractTests.SERVICE, CachedOperationsContractTests.QUARANTINE_SERVICE),
				QueueType.CLASSIC, ".error");
		this.broker.declare(topology);
		this.stack = ProcessingStack.of(this.broker, topology, new InMemoryOperationStore(), "publish-failure", 2,
				FailingSends::new);
		this.stack.worker().start();
		assertThatExceptionOfType(TaskPublishException.class)
			.isThrownBy(() -> this.stack.operations().getOrDelegate("measure", "doc:flaky", new Reply("first")));
		OperationOutcome second = this.stack.operations().getOrDelegate("measure", "doc:flaky", new Reply("second"));
		assertThat(second.isHit()).isFalse();
		assertThat(second.awaitCallback(Duration.ofSeconds(30))).isEqualTo(ProcessingOutcome.CALLED_BACK);
		assertThat(this.stack.documents().runs("measure", "doc:flaky")).isOne();
		assertThat(this.stack.documents().callbacks()).singleElement()
			.satisfies((callback) -> assertThat(callback.replies()).containsExactly(new Reply("first"),
					new Reply("second")));
	}

	/**
	 * The real client, but its first sends fail as a broker that is down makes them fail.
	 */
	private final class FailingSends implements TaskClient {

		private final TaskClient client;

		FailingSends(TaskClient client) {
			this.client = client;
		}

		@Override
		public <T> TaskHandle<T> send(String name, List<?> args, Map<String, ?> kwargs, TaskOptions options,
				Type resultType) {
			if (ProcessingPublishFailureTests.this.failuresLeft.getAndDecrement() > 0) {
				throw new TaskPublishException("The broker did not confirm " + name);
			}
			return this.client.send(name, args, kwargs, options, resultType);
		}

		@Override
		public <T> CompletableFuture<TaskHandle<T>> sendAsync(String name, List<?> args, Map<String, ?> kwargs,
				TaskOptions options, Type resultType) {
			return this.client.sendAsync(name, args, kwargs, options, resultType);
		}

		@Override
		public <T> TaskHandle<T> handle(String taskId, Type resultType) {
			return this.client.handle(taskId, resultType);
		}

	}

}
