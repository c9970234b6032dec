package io.celeriac.test.events;

import java.util.Map;
import java.util.UUID;

import io.celeriac.events.EventDispatcher;
import io.celeriac.events.LamportClock;
import io.celeriac.events.memory.InMemoryEventTransport;
import io.celeriac.monitor.TaskEventRecorder;
import io.celeriac.result.TaskFailure;
import io.celeriac.result.TaskResult;
import io.celeriac.result.TaskState;
import io.celeriac.result.memory.InMemoryResultStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.StringNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The task monitor's {@link TaskEventRecorder} on the in-memory transport: the outcome
 * events of a task with no result become its result, and a result already recorded is
 * left alone.
 *
 * @author Celeriac team
 */
class TaskEventRecorderTests {

	private final InMemoryEventTransport transport = new InMemoryEventTransport();

	private final InMemoryResultStore results = new InMemoryResultStore();

	private final TaskEventRecorder recorder = new TaskEventRecorder(this.transport, this.results);

	private final EventDispatcher python = new EventDispatcher(this.transport, "celery@python", new LamportClock());

	@BeforeEach
	void start() {
		this.recorder.start();
	}

	@AfterEach
	void stop() {
		this.recorder.stop();
	}

	@Test
	void aSucceededTaskIsRecordedWithTheReprOfItsResultAndWhatItsReceivedEventSaid() {
		String id = UUID.randomUUID().toString();
		this.python.send("task-received",
				Map.of("uuid", id, "name", "pyservice.multiply", "args", "(6, 7)", "kwargs", "{}"));
		this.python.send("task-succeeded", Map.of("uuid", id, "result", "42", "runtime", 0.01));
		TaskResult result = this.results.find(id).orElseThrow();
		assertThat(result.state()).isEqualTo(TaskState.SUCCESS);
		assertThat(result.value()).isEqualTo(StringNode.valueOf("42"));
		assertThat(result.name()).isEqualTo("pyservice.multiply");
		assertThat(result.args()).isEqualTo(StringNode.valueOf("(6, 7)"));
		assertThat(result.worker()).isEqualTo("celery@python");
	}

	@Test
	void aFailedTaskIsRecordedWithTheExceptionItsEventNamed() {
		String id = UUID.randomUUID().toString();
		this.python.send("task-failed",
				Map.of("uuid", id, "exception", "ValueError('no good')", "traceback", "Traceback ...\nValueError"));
		TaskResult result = this.results.find(id).orElseThrow();
		assertThat(result.state()).isEqualTo(TaskState.FAILURE);
		assertThat(result.failure())
			.isEqualTo(new TaskFailure("ValueError", "builtins", "no good", "Traceback ...\nValueError"));
	}

	@Test
	void anExpiredTaskIsRecordedRevoked() {
		String id = UUID.randomUUID().toString();
		this.python.send("task-revoked", Map.of("uuid", id, "terminated", false, "expired", true));
		TaskResult result = this.results.find(id).orElseThrow();
		assertThat(result.state()).isEqualTo(TaskState.REVOKED);
		assertThat(result.failure()).isEqualTo(TaskFailure.expired());
	}

	@Test
	void aResultTheWorkerStoredIsLeftAlone() {
		String id = UUID.randomUUID().toString();
		TaskResult stored = new TaskResult(id, TaskState.SUCCESS, tools.jackson.databind.node.IntNode.valueOf(42), null,
				"pyservice.multiply", null, null, "celery@python", 0, "pyservice", java.time.Instant.now());
		this.results.save(stored);
		this.python.send("task-succeeded", Map.of("uuid", id, "result", "42", "runtime", 0.01));
		assertThat(this.results.find(id)).contains(stored);
	}

}
