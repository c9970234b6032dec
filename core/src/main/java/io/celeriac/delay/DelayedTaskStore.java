package io.celeriac.delay;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import io.celeriac.broker.DelayedMessageCounter;
import org.jspecify.annotations.Nullable;

/**
 * Where delayed tasks wait until they are due, outside any worker's memory. A due task is
 * first claimed, then published, then removed: a scheduler that dies between claim and
 * removal loses nothing, since its claim lapses and another scheduler claims the task
 * again (a task may then be published twice, which the broker's at-least-once delivery
 * allows anyway).
 *
 * @author Celeriac team
 */
public interface DelayedTaskStore extends DelayedMessageCounter {

	/**
	 * Adds a task.
	 * @param task the task
	 */
	void schedule(DelayedTask task);

	/**
	 * Claims due tasks, oldest first, and those whose earlier claim lapsed.
	 * @param now the current time
	 * @param max the most tasks to claim
	 * @param lease how long the claim holds
	 * @return the claimed tasks
	 */
	List<ClaimedTask> claimDue(Instant now, int max, Duration lease);

	/**
	 * Removes a claimed task once it is published.
	 * @param claimed the claimed task
	 */
	void remove(ClaimedTask claimed);

	/**
	 * Removes claimed tasks once they are published; stores that can do it in one round
	 * trip override this.
	 * @param claimed the claimed tasks
	 */
	default void removeAll(List<ClaimedTask> claimed) {
		claimed.forEach(this::remove);
	}

	/**
	 * Returns when the store next has a task to claim: the earliest due time of a waiting
	 * task, or the earliest lapse of a claim. A scheduler sleeps until then (at most its
	 * poll interval), so that a task is published as soon as it is due rather than up to
	 * a poll interval later.
	 * @return the time, or {@code null} when the store holds nothing or cannot tell
	 */
	default @Nullable Instant nextDue() {
		return null;
	}

	/**
	 * Returns how many tasks wait, claimed ones included.
	 * @return the count
	 */
	long size();

	/**
	 * Returns how many tasks wait to go back to a queue, claimed ones included: the
	 * queue's {@link io.celeriac.broker.QueueStats#delayed() delayed} figure. Counting is
	 * cheap (a counter per queue), not a scan.
	 * @param queue the queue's full name
	 * @return the count
	 */
	@Override
	long countDelayed(String queue);

}
