package io.celeriac.test.monitor;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import io.celeriac.monitor.CompositeTaskHistory;
import io.celeriac.monitor.TaskHistory;
import io.celeriac.monitor.TaskPage;
import io.celeriac.monitor.TaskQuery;
import io.celeriac.monitor.TaskRecordStore;
import io.celeriac.monitor.TaskSummary;
import io.celeriac.monitor.memory.InMemoryTaskRecordStore;
import io.celeriac.result.ResultStore;
import io.celeriac.result.TaskState;
import io.celeriac.result.memory.InMemoryResultStore;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * The task history contract for the {@link CompositeTaskHistory} over the in-memory task
 * table and result store.
 *
 * @author Celeriac team
 */
class InMemoryTaskHistoryTests extends TaskHistoryContractTests {

	private final InMemoryTaskRecordStore records = new InMemoryTaskRecordStore();

	private final InMemoryResultStore results = new InMemoryResultStore();

	private final CompositeTaskHistory history = new CompositeTaskHistory(this.records, this.results);

	@Override
	protected TaskHistory history() {
		return this.history;
	}

	@Override
	protected TaskRecordStore records() {
		return this.records;
	}

	@Override
	protected ResultStore results() {
		return this.results;
	}

	@Test
	void aSearchByStateExaminesAtMostTheScanLimitAndGoesOnFromWhereItStopped() {
		CompositeTaskHistory bounded = new CompositeTaskHistory(this.records, this.results, 5, 100);
		Instant base = TaskRecordStoreContractTests.uniqueInstant();
		String prefix = UUID.randomUUID().toString();
		for (int i = 0; i < 12; i++) {
			String id = prefix + "-" + ((i < 10) ? "0" + i : i);
			this.records.save(record(id, "reports.generate", base.plusSeconds(i), null));
			this.results.save(result(id, (i == 2) ? TaskState.FAILURE : TaskState.SUCCESS, base.plusSeconds(20)));
		}
		TaskQuery failures = new TaskQuery(null, null, TaskState.FAILURE, base, base.plusSeconds(60), null, 10);
		// newest first: 11 to 7 examined, none failed
		TaskPage first = bounded.search(failures);
		assertThat(first.tasks()).isEmpty();
		assertThat(first.next()).isNotNull();
		assertThat(first.next().taskId()).isEqualTo(prefix + "-07");
		TaskPage second = bounded.search(failures.after(first.next()));
		assertThat(second.tasks()).extracting(TaskSummary::taskId).containsExactly(prefix + "-02");
		// 6 to 2 examined: the limit is reached again before the end
		assertThat(second.next().taskId()).isEqualTo(prefix + "-02");
		TaskPage third = bounded.search(failures.after(second.next()));
		assertThat(third.tasks()).isEmpty();
		assertThat(third.next()).isNull();
		assertThat(readAll(failures)).containsExactly(prefix + "-02");
		// the timeline limit counts the newest tasks only
		assertThat(bounded.timeline(base).minutes()).singleElement()
			.satisfies((minute) -> assertThat(minute.counts()).containsEntry(TaskState.SUCCESS, 11L)
				.containsEntry(TaskState.FAILURE, 1L));
		CompositeTaskHistory newest = new CompositeTaskHistory(this.records, this.results, 5, 4);
		assertThat(newest.timeline(base).minutes()).singleElement()
			.satisfies((minute) -> assertThat(minute.counts()).isEqualTo(Map.of(TaskState.SUCCESS, 4L)));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new CompositeTaskHistory(this.records, this.results, 0, 1));
	}

}
