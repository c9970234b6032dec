package io.celeriac.test.delay;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.celeriac.delay.ClaimedTask;
import io.celeriac.delay.DelayedTask;
import io.celeriac.delay.DelayedTaskStore;
import io.celeriac.protocol.WireMessage;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The contract of a {@link DelayedTaskStore}: due tasks are claimed in due order, once,
 * with their message intact; a claim that lapses makes the task claimable again (a
 * scheduler that died loses nothing); a removed task is gone; the tasks that return to
 * each queue are counted. Each store's test extends it.
 *
 * @author Celeriac team
 */
public abstract class DelayedTaskStoreContractTests {

	private static final Duration LEASE = Duration.ofSeconds(30);

	private final Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);

	/**
	 * Returns the store under test, empty.
	 * @return the store
	 */
	protected abstract DelayedTaskStore store();

	@Test
	void aTaskIsNotClaimedBeforeItIsDue() {
		store().schedule(task("later", this.now.plusSeconds(60)));
		assertThat(store().claimDue(this.now, 10, LEASE)).isEmpty();
		assertThat(store().size()).isOne();
	}

	@Test
	void dueTasksAreClaimedInDueOrderWithTheirMessageIntact() {
		store().schedule(task("second", this.now.minusSeconds(1)));
		store().schedule(task("first", this.now.minusSeconds(2)));
		store().schedule(task("not yet", this.now.plusSeconds(60)));
		List<ClaimedTask> claimed = store().claimDue(this.now, 10, LEASE);
		assertThat(claimed).extracting((task) -> task.task().message().correlationId())
			.containsExactly("first", "second");
		DelayedTask first = claimed.get(0).task();
		assertThat(first.exchange()).isEqualTo("tasks");
		assertThat(first.routingKey()).isEqualTo("sample");
		assertThat(first.due()).isEqualTo(this.now.minusSeconds(2));
		WireMessage message = first.message();
		assertThat(new String(message.body(), StandardCharsets.UTF_8)).isEqualTo("[[1, 2], {}, {}]");
		assertThat(message.headers()).containsEntry("task", "sample.add")
			.containsEntry("retries", 2)
			.containsEntry("parent_id", null);
		assertThat(message.headers().get("timelimit")).isEqualTo(java.util.Arrays.asList(null, null));
		assertThat(message.contentType()).isEqualTo("application/json");
		assertThat(message.replyTo()).isEqualTo("reply");
		assertThat(message.priority()).isEqualTo(3);
		assertThat(message.expiration()).isEqualTo("60000");
	}

	@Test
	void aClaimedTaskIsNotClaimedAgainWhileItsClaimHolds() {
		store().schedule(task("once", this.now.minusSeconds(1)));
		assertThat(store().claimDue(this.now, 10, LEASE)).hasSize(1);
		assertThat(store().claimDue(this.now.plusSeconds(1), 10, LEASE)).isEmpty();
		assertThat(store().size()).isOne();
	}

	@Test
	void aTaskWhoseClaimLapsedIsClaimedAgain() {
		store().schedule(task("orphan", this.now.minusSeconds(1)));
		assertThat(store().claimDue(this.now, 10, LEASE)).hasSize(1);
		List<ClaimedTask> again = store().claimDue(this.now.plus(LEASE).plusSeconds(1), 10, LEASE);
		assertThat(again).extracting((task) -> task.task().message().correlationId()).containsExactly("orphan");
	}

	@Test
	void aRemovedTaskIsGone() {
		store().schedule(task("done", this.now.minusSeconds(1)));
		ClaimedTask claimed = store().claimDue(this.now, 10, LEASE).get(0);
		store().remove(claimed);
		assertThat(store().size()).isZero();
		assertThat(store().claimDue(this.now.plus(LEASE).plusSeconds(1), 10, LEASE)).isEmpty();
	}

	@Test
	void removedTasksAreGoneTogether() {
		store().schedule(task("one", this.now.minusSeconds(2)));
		store().schedule(task("two", this.now.minusSeconds(1)));
		store().schedule(task("later", this.now.plusSeconds(60)));
		store().removeAll(store().claimDue(this.now, 10, LEASE));
		assertThat(store().size()).isOne();
		assertThat(store().claimDue(this.now.plus(LEASE).plusSeconds(1), 10, LEASE)).isEmpty();
	}

	@Test
	void claimingTakesAtMostTheGivenNumber() {
		for (int i = 0; i < 5; i++) {
			store().schedule(task("task-" + i, this.now.minusSeconds(10 - i)));
		}
		assertThat(store().claimDue(this.now, 3, LEASE)).hasSize(3);
		assertThat(store().claimDue(this.now, 3, LEASE)).extracting((task) -> task.task().message().correlationId())
			.containsExactly("task-3", "task-4");
	}

	@Test
	void theNextDueTimeIsTheEarliestTaskOrLapseOfAClaim() {
		assertThat(store().nextDue()).isNull();
		store().schedule(task("later", this.now.plusSeconds(60)));
		store().schedule(task("sooner", this.now.plusSeconds(30)));
		assertThat(store().nextDue()).isEqualTo(this.now.plusSeconds(30));
		store().schedule(task("due", this.now.minusSeconds(1)));
		assertThat(store().nextDue()).isEqualTo(this.now.minusSeconds(1));
		store().claimDue(this.now, 10, Duration.ofSeconds(10));
		assertThat(store().nextDue()).as("the claim lapses first").isEqualTo(this.now.plusSeconds(10));
	}

	@Test
	void theTasksOfEachQueueAreCountedUntilRemoved() {
		store().schedule(onQueue(task("a1", this.now.minusSeconds(3)), "test-a"));
		store().schedule(onQueue(task("a2", this.now.plusSeconds(60)), "test-a"));
		store().schedule(onQueue(task("b1", this.now.minusSeconds(2)), "test-b:with:colons"));
		store().schedule(task("nowhere", this.now.minusSeconds(1)));
		assertThat(store().countDelayed("test-a")).isEqualTo(2);
		assertThat(store().countDelayed("test-b:with:colons")).isOne();
		assertThat(store().countDelayed("test-c")).isZero();
		List<ClaimedTask> claimed = store().claimDue(this.now, 10, LEASE);
		assertThat(claimed).extracting((task) -> task.task().queue())
			.containsExactly("test-a", "test-b:with:colons", null);
		assertThat(store().countDelayed("test-a")).as("claimed tasks still wait").isEqualTo(2);
		store().removeAll(claimed);
		assertThat(store().countDelayed("test-a")).isOne();
		assertThat(store().countDelayed("test-b:with:colons")).isZero();
		assertThat(store().size()).isOne();
	}

	private static DelayedTask onQueue(DelayedTask task, String queue) {
		return new DelayedTask(task.exchange(), task.routingKey(), task.message(), task.due(), queue);
	}

	private static DelayedTask task(String id, Instant due) {
		Map<String, @Nullable Object> headers = new LinkedHashMap<>();
		headers.put("task", "sample.add");
		headers.put("id", id);
		headers.put("retries", 2);
		headers.put("timelimit", java.util.Arrays.asList(null, null));
		headers.put("parent_id", null);
		WireMessage message = new WireMessage("[[1, 2], {}, {}]".getBytes(StandardCharsets.UTF_8), "application/json",
				"utf-8", headers, id, "reply", 3, true, "60000");
		return new DelayedTask("tasks", "sample", message, due);
	}

}
