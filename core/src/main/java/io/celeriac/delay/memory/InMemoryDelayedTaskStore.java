package io.celeriac.delay.memory;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;

import io.celeriac.delay.ClaimedTask;
import io.celeriac.delay.DelayedTask;
import io.celeriac.delay.DelayedTaskStore;
import org.jspecify.annotations.Nullable;

/**
 * A {@link DelayedTaskStore} in this process's memory, for tests and single-process use
 * with the in-memory broker. Its tasks are lost when the process stops, and they take
 * heap: use the Redis store with a real broker.
 *
 * @author Celeriac team
 */
public class InMemoryDelayedTaskStore implements DelayedTaskStore {

	private final AtomicLong ids = new AtomicLong();

	private final Map<String, DelayedTask> tasks = new HashMap<>();

	private final Map<String, Entry> entries = new HashMap<>();

	private final Map<String, Long> delayedPerQueue = new HashMap<>();

	private final TreeSet<Entry> waiting = new TreeSet<>(Comparator.comparing(Entry::due).thenComparing(Entry::id));

	@Override
	public synchronized void schedule(DelayedTask task) {
		String id = Long.toString(this.ids.incrementAndGet());
		this.tasks.put(id, task);
		if (task.queue() != null) {
			this.delayedPerQueue.merge(task.queue(), 1L, Long::sum);
		}
		place(new Entry(task.due(), id));
	}

	@Override
	public synchronized List<ClaimedTask> claimDue(Instant now, int max, Duration lease) {
		List<ClaimedTask> claimed = new ArrayList<>();
		while (claimed.size() < max && !this.waiting.isEmpty() && !this.waiting.first().due().isAfter(now)) {
			Entry entry = this.waiting.pollFirst();
			place(new Entry(now.plus(lease), entry.id()));
			claimed.add(new ClaimedTask(entry.id(), this.tasks.get(entry.id())));
		}
		return claimed;
	}

	@Override
	public synchronized void remove(ClaimedTask claimed) {
		DelayedTask task = this.tasks.remove(claimed.id());
		if (task != null && task.queue() != null) {
			this.delayedPerQueue.computeIfPresent(task.queue(), (queue, count) -> (count > 1) ? count - 1 : null);
		}
		Entry entry = this.entries.remove(claimed.id());
		if (entry != null) {
			this.waiting.remove(entry);
		}
	}

	private void place(Entry entry) {
		this.waiting.add(entry);
		this.entries.put(entry.id(), entry);
	}

	@Override
	public synchronized @Nullable Instant nextDue() {
		return this.waiting.isEmpty() ? null : this.waiting.first().due();
	}

	@Override
	public synchronized long size() {
		return this.tasks.size();
	}

	@Override
	public synchronized long countDelayed(String queue) {
		return this.delayedPerQueue.getOrDefault(queue, 0L);
	}

	private record Entry(Instant due, String id) {

	}

}
