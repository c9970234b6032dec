package io.celeriac.test.monitor;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import io.celeriac.monitor.CompositeTaskHistory;
import io.celeriac.monitor.TaskHistory;
import io.celeriac.monitor.TaskRecordStore;
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

	@Override
	protected TaskHistory history(int stateScanLimit) {
		return new CompositeTaskHistory(this.records, this.results, stateScanLimit, 100);
	}

	@Test
	void theTimelineCountsTheNewestTasksUpToItsLimit() {
		Instant base = TaskRecordStoreContractTests.uniqueInstant();
		String prefix = UUID.randomUUID().toString();
		for (int i = 0; i < 12; i++) {
			String id = prefix + "-" + ((i < 10) ? "0" + i : i);
			this.records.save(record(id, "reports.generate", base.plusSeconds(i), null));
			this.results.save(result(id, (i == 2) ? TaskState.FAILURE : TaskState.SUCCESS, base.plusSeconds(20)));
		}
		assertThat(new CompositeTaskHistory(this.records, this.results, 5, 100).timeline(base).minutes())
			.singleElement()
			.satisfies((minute) -> assertThat(minute.counts())
				.isEqualTo(Map.of(TaskState.SUCCESS, 11L, TaskState.FAILURE, 1L)));
		assertThat(new CompositeTaskHistory(this.records, this.results, 5, 4).timeline(base).minutes()).singleElement()
			.satisfies((minute) -> assertThat(minute.counts()).isEqualTo(Map.of(TaskState.SUCCESS, 4L)));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new CompositeTaskHistory(this.records, this.results, 0, 1));
	}

}
