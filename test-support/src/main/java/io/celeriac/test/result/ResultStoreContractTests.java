package io.celeriac.test.result;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

import io.celeriac.result.ResultStore;
import io.celeriac.result.TaskFailure;
import io.celeriac.result.TaskResult;
import io.celeriac.result.TaskState;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The contract of a {@link ResultStore}: what a worker saves is what a handle finds,
 * field by field, for every state; a later state replaces an earlier one; an unknown id
 * is not found. Each backend's test extends it.
 *
 * @author Celeriac team
 */
public abstract class ResultStoreContractTests {

	/**
	 * Reads the JSON of values and arguments in these tests.
	 */
	protected final JsonMapper mapper = new JsonMapper();

	/**
	 * Returns the store under test.
	 * @return the store
	 */
	protected abstract ResultStore store();

	@Test
	void anUnknownIdIsNotFound() {
		assertThat(store().find(newId())).isEmpty();
	}

	@Test
	void manyTasksAreFoundAtOnceInTheOrderAsked() {
		List<String> saved = new ArrayList<>();
		for (int i = 0; i < 3; i++) {
			String id = newId();
			store().save(success(id, json(String.valueOf(i))));
			saved.add(id);
		}
		List<String> asked = new ArrayList<>();
		// more ids than one round trip of any store reads, found ones among unknown ones
		for (int i = 0; i < 520; i++) {
			asked.add((i % 200 == 7) ? saved.get(i / 200) : newId());
		}
		asked.add(saved.get(0));
		Map<String, TaskResult> found = store().findAll(asked);
		assertThat(found.keySet()).containsExactly(saved.get(0), saved.get(1), saved.get(2));
		for (String id : saved) {
			assertThat(found.get(id)).isEqualTo(store().find(id).orElseThrow());
		}
		assertThat(store().findAll(List.of())).isEmpty();
	}

	@Test
	void aSuccessIsFoundWithEveryField() {
		String id = newId();
		Instant done = Instant.now().truncatedTo(ChronoUnit.MILLIS);
		TaskResult saved = new TaskResult(id, TaskState.SUCCESS,
				json("{\"report_id\": 42, \"format\": \"csv\", \"pages\": 3}"), null, "reports.generate", json("[42]"),
				json("{\"fmt\": \"csv\"}"), "worker@host", 2, "reports", done);
		store().save(saved);
		TaskResult found = store().find(id).orElseThrow();
		assertThat(found.taskId()).isEqualTo(id);
		assertThat(found.state()).isEqualTo(TaskState.SUCCESS);
		assertThat(found.value()).isEqualTo(saved.value());
		assertThat(found.failure()).isNull();
		assertThat(found.name()).isEqualTo("reports.generate");
		assertThat(found.args()).isEqualTo(json("[42]"));
		assertThat(found.kwargs()).isEqualTo(json("{\"fmt\": \"csv\"}"));
		assertThat(found.worker()).isEqualTo("worker@host");
		assertThat(found.retries()).isEqualTo(2);
		assertThat(found.queue()).isEqualTo("reports");
		assertThat(found.dateDone()).isEqualTo(done);
	}

	@Test
	void valuesOfEveryJsonKindRoundTrip() {
		String id = newId();
		JsonNode value = json("{\"text\": \"h\u00e9llo \u2603\", \"list\": [1, 2.5, true, null, \"x\"], "
				+ "\"nested\": {\"big\": 12345678901234, \"negative\": -7, \"empty\": {}}, \"none\": null}");
		store().save(success(id, value));
		assertThat(store().find(id).orElseThrow().value()).isEqualTo(value);
	}

	@Test
	void aPlainValueRoundTrips() {
		String id = newId();
		store().save(success(id, json("42")));
		assertThat(store().find(id).orElseThrow().value()).isEqualTo(json("42"));
	}

	@Test
	void aFailureIsFoundWithTheException() {
		String id = newId();
		TaskFailure failure = new TaskFailure("IllegalStateException", "java.lang", "export a.csv failed",
				"java.lang.IllegalStateException: export a.csv failed\n\tat Sample.run(Sample.java:1)\n");
		store().save(new TaskResult(id, TaskState.FAILURE, null, failure, "exports.fail", json("[\"a.csv\"]"),
				json("{}"), "worker@host", 0, "exports", Instant.now()));
		TaskResult found = store().find(id).orElseThrow();
		assertThat(found.state()).isEqualTo(TaskState.FAILURE);
		assertThat(found.failure()).isEqualTo(failure);
		assertThat(found.state().isFinal()).isTrue();
	}

	@Test
	void aStartedTaskIsNotFinal() {
		String id = newId();
		store().save(result(id, TaskState.STARTED, null));
		// a store may write STARTED without making the worker wait (see
		// BatchingResultStore)
		TaskResult found = await().atMost(Duration.ofSeconds(10))
			.until(() -> store().find(id).orElse(null), Objects::nonNull);
		assertThat(found.state()).isEqualTo(TaskState.STARTED);
		assertThat(found.state().isFinal()).isFalse();
	}

	@Test
	void aLaterStateReplacesAnEarlierOne() {
		String id = newId();
		store().save(result(id, TaskState.STARTED, null));
		store().save(success(id, json("\"done\"")));
		TaskResult found = store().find(id).orElseThrow();
		assertThat(found.state()).isEqualTo(TaskState.SUCCESS);
		assertThat(found.value()).isEqualTo(json("\"done\""));
	}

	@Test
	void savingUnlessFinalKeepsEveryFinalState() {
		TaskFailure failure = new TaskFailure("ValueError", "builtins", "bad input", "trace");
		List<TaskResult> finals = List.of(
				success(newId(), json("\"done\"")), new TaskResult(newId(), TaskState.FAILURE, null, failure,
						"sample.add", json("[2, 3]"), json("{}"), "worker@host", 0, "sample", Instant.now()),
				result(newId(), TaskState.REVOKED, null));
		for (TaskResult recorded : finals) {
			store().save(recorded);
			assertThat(store().saveUnlessFinal(notRegistered(recorded.taskId()))).isFalse();
			TaskResult found = store().find(recorded.taskId()).orElseThrow();
			assertThat(found.state()).isEqualTo(recorded.state());
			assertThat(found.failure()).isEqualTo(recorded.failure());
			assertThat(found.name()).isEqualTo("sample.add");
		}
		assertThat(store().find(finals.get(0).taskId()).orElseThrow().value()).isEqualTo(json("\"done\""));
	}

	@Test
	void savingUnlessFinalRecordsANewTaskAndReplacesAStateThatIsNotFinal() {
		String unknown = newId();
		assertThat(store().saveUnlessFinal(notRegistered(unknown))).isTrue();
		assertThat(store().find(unknown).orElseThrow().failure()).extracting(TaskFailure::exceptionType)
			.isEqualTo("NotRegistered");
		TaskFailure retried = new TaskFailure("ConnectException", "java.net", "upstream down", "trace");
		for (TaskState state : List.of(TaskState.STARTED, TaskState.RETRY)) {
			String id = newId();
			store().save(new TaskResult(id, state, null, (state == TaskState.RETRY) ? retried : null, "sample.add",
					json("[2, 3]"), json("{}"), "worker@host", 1, "sample", Instant.now()));
			// a store may write STARTED without making the worker wait (see
			// BatchingResultStore)
			await().atMost(Duration.ofSeconds(10)).until(() -> store().find(id).isPresent());
			assertThat(store().saveUnlessFinal(notRegistered(id))).isTrue();
			TaskResult found = store().find(id).orElseThrow();
			assertThat(found.state()).isEqualTo(TaskState.FAILURE);
			assertThat(found.name()).isEqualTo("unknown.task");
		}
	}

	@Test
	void aRetryKeepsTheExceptionAndTheRetryCount() {
		String id = newId();
		TaskFailure failure = new TaskFailure("ConnectException", "java.net", "upstream down", "trace");
		store().save(new TaskResult(id, TaskState.RETRY, null, failure, "exports.flaky", json("[1]"), json("{}"),
				"worker@host", 1, "exports", Instant.now()));
		TaskResult found = store().find(id).orElseThrow();
		assertThat(found.state()).isEqualTo(TaskState.RETRY);
		assertThat(found.failure()).isEqualTo(failure);
		assertThat(found.retries()).isEqualTo(1);
	}

	@Test
	void savingManyRecordsEachOfThem() {
		List<String> ids = List.of(newId(), newId(), newId());
		store().saveAll(ids.stream().map((id) -> success(id, json("\"" + id + "\""))).toList());
		for (String id : ids) {
			assertThat(store().find(id).orElseThrow().value()).isEqualTo(json("\"" + id + "\""));
		}
	}

	@Test
	void aBatchRecordsEveryFieldAsSavingEachAloneDoes() {
		TaskFailure failure = new TaskFailure("ConnectException", "java.net", "upstream 'down'", "trace\nline 2");
		Instant done = Instant.parse("2026-12-02T05:30:01.123456Z");
		List<TaskResult> batch = List.of(
				new TaskResult(newId(), TaskState.FAILURE, null, failure, "exports.flaky", json("[1, \"x\"]"),
						json("{\"a\": null}"), "worker@host", 3, "exports", done),
				new TaskResult(newId(), TaskState.STARTED, null, null, "exports.slow", json("[]"), json("{}"),
						"worker@host", 0, "exports", null),
				new TaskResult(newId(), TaskState.SUCCESS, json("{\"total\": 42}"), null, null, null, null, null, 0,
						null, done));
		store().saveAll(batch);
		for (TaskResult saved : batch) {
			String alone = newId();
			store().save(new TaskResult(alone, saved.state(), saved.value(), saved.failure(), saved.name(),
					saved.args(), saved.kwargs(), saved.worker(), saved.retries(), saved.queue(), saved.dateDone()));
			TaskResult fromBatch = store().find(saved.taskId()).orElseThrow();
			// a STARTED state may be written after save returns (as by
			// BatchingResultStore)
			TaskResult fromAlone = await().atMost(Duration.ofSeconds(10))
				.until(() -> store().find(alone), Optional::isPresent)
				.orElseThrow();
			assertThat(fromBatch).usingRecursiveComparison().ignoringFields("taskId").isEqualTo(fromAlone);
			assertThat(fromBatch.state()).isEqualTo(saved.state());
		}
	}

	@Test
	void aLargeBatchWithRepeatedAndExistingTasksKeepsTheLastStateOfEach() {
		String existing = newId();
		store().save(result(existing, TaskState.STARTED, null));
		List<String> ids = new ArrayList<>();
		for (int i = 0; i < 300; i++) {
			ids.add(newId());
		}
		List<TaskResult> batch = new ArrayList<>();
		ids.forEach((id) -> batch.add(result(id, TaskState.STARTED, null)));
		ids.forEach((id) -> batch.add(success(id, json("\"" + id + "\""))));
		batch.add(success(existing, json("\"existing\"")));
		store().saveAll(batch);
		for (String id : ids) {
			TaskResult found = store().find(id).orElseThrow();
			assertThat(found.state()).isEqualTo(TaskState.SUCCESS);
			assertThat(found.value()).isEqualTo(json("\"" + id + "\""));
		}
		assertThat(store().find(existing).orElseThrow().value()).isEqualTo(json("\"existing\""));
	}

	/**
	 * Returns a task id no other test uses.
	 * @return the id
	 */
	protected String newId() {
		return UUID.randomUUID().toString();
	}

	/**
	 * Reads JSON text.
	 * @param text the text
	 * @return the tree
	 */
	protected JsonNode json(String text) {
		return this.mapper.readTree(text);
	}

	/**
	 * Builds a successful record with the sample task's fields.
	 * @param id the task id
	 * @param value the value
	 * @return the record
	 */
	protected TaskResult success(String id, JsonNode value) {
		return result(id, TaskState.SUCCESS, value);
	}

	private TaskResult notRegistered(String id) {
		return new TaskResult(id, TaskState.FAILURE, null,
				new TaskFailure("NotRegistered", "celery.exceptions", "unknown.task", ""), "unknown.task", json("[]"),
				json("{}"), "worker@host", 0, "unknown", Instant.now());
	}

	private TaskResult result(String id, TaskState state, @Nullable JsonNode value) {
		return new TaskResult(id, state, value, null, "sample.add", json("[2, 3]"), json("{}"), "worker@host", 0,
				"sample", Instant.now());
	}

}
