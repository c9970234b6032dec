package io.celeriac.test.worker;

import java.net.ConnectException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import io.celeriac.result.ResultStore;
import io.celeriac.result.ResultStoreUnavailableException;
import io.celeriac.result.TaskResult;
import io.celeriac.result.TaskState;
import io.celeriac.result.memory.InMemoryResultStore;
import io.celeriac.task.CurrentTask;
import io.celeriac.task.Deferrable;
import org.jspecify.annotations.Nullable;

/**
 * What the outcome tests of {@link TaskWorkerContractTests} use: a result store that can
 * be taken down and brought back, one that writes slowly, and tasks that count their
 * runs.
 *
 * @author Celeriac team
 */
public final class OutcomeFixtures {

	private OutcomeFixtures() {
	}

	/**
	 * A result store that refuses every write while it is down, as a database that cannot
	 * be reached does (a connection failure), and keeps each task's states in the order
	 * they were written.
	 */
	public static final class SwitchableResultStore extends InMemoryResultStore {

		volatile boolean down;

		volatile long writeDelayMillis;

		final AtomicInteger refused = new AtomicInteger();

		final Map<String, List<TaskState>> history = new ConcurrentHashMap<>();

		@Override
		public void save(TaskResult result) {
			if (this.down) {
				this.refused.incrementAndGet();
				throw new ResultStoreUnavailableException("result store unavailable (simulated)",
						new ConnectException("simulated outage"));
			}
			super.save(result);
			this.history.computeIfAbsent(result.taskId(), (id) -> new CopyOnWriteArrayList<>()).add(result.state());
		}

		@Override
		public void saveAll(List<TaskResult> results) {
			if (this.writeDelayMillis > 0) {
				try {
					Thread.sleep(this.writeDelayMillis);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
			}
			results.forEach(this::save);
		}

		List<TaskState> history(String taskId) {
			return this.history.getOrDefault(taskId, List.of());
		}

	}

	/**
	 * Tasks that count their runs: by argument, per attempt of a task that fails its
	 * first attempt, and one that runs until released; one that reads its own recorded
	 * state, and a chord's members and body, the body checking that every member's result
	 * is recorded when it runs.
	 */
	public static class OutcomeTasks {

		final Map<Integer, AtomicInteger> counted = new ConcurrentHashMap<>();

		final AtomicInteger flakyRuns = new AtomicInteger();

		final AtomicInteger heldRuns = new AtomicInteger();

		final CountDownLatch releaseHeld = new CountDownLatch(1);

		final Map<String, AtomicInteger> blockingRuns = new ConcurrentHashMap<>();

		final AtomicInteger blockingInterrupted = new AtomicInteger();

		final CountDownLatch unwind = new CountDownLatch(1);

		final AtomicInteger stateReaderRuns = new AtomicInteger();

		final AtomicReference<@Nullable TaskState> stateSeenByRetry = new AtomicReference<>();

		final List<String> members = new CopyOnWriteArrayList<>();

		final AtomicReference<@Nullable Long> membersRecordedWhenBodyRan = new AtomicReference<>();

		@Nullable ResultStore store;

		public int count(int number) {
			this.counted.computeIfAbsent(number, (key) -> new AtomicInteger()).incrementAndGet();
			return number;
		}

		public String held() throws InterruptedException {
			this.heldRuns.incrementAndGet();
			this.releaseHeld.await();
			return "held";
		}

		public String blocksOnce(String name) throws InterruptedException {
			return blockOnFirstRun(name);
		}

		@Deferrable(retryOn = InterruptedException.class, maxAttempts = 3, backoff = false, backoffDelayMillis = 50)
		public String blocksOnceAndRetriesWhenInterrupted(String name) throws InterruptedException {
			return blockOnFirstRun(name);
		}

		/**
		 * Blocks the first run of each name until it is interrupted, then unwinds slowly:
		 * it ignores further interrupts until {@link #unwind} is released (or a minute
		 * passed), and only then throws.
		 */
		private String blockOnFirstRun(String name) throws InterruptedException {
			if (this.blockingRuns.computeIfAbsent(name, (key) -> new AtomicInteger()).incrementAndGet() > 1) {
				return name;
			}
			try {
				new CountDownLatch(1).await();
			}
			catch (InterruptedException ex) {
				this.blockingInterrupted.incrementAndGet();
				long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
				while (this.unwind.getCount() > 0 && System.nanoTime() < deadline) {
					try {
						this.unwind.await(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
					}
					catch (InterruptedException again) {
						// still unwinding
					}
				}
				throw ex;
			}
			throw new IllegalStateException("not reached");
		}

		int runs() {
			return this.counted.values().stream().mapToInt(AtomicInteger::get).sum();
		}

		@Deferrable(retryOn = IllegalStateException.class, maxAttempts = 3, backoff = false, backoffDelayMillis = 50)
		public String flaky(String name) {
			if (this.flakyRuns.incrementAndGet() == 1) {
				throw new IllegalStateException("the first attempt fails");
			}
			return name;
		}

		@Deferrable(retryOn = IllegalStateException.class, maxAttempts = 3, backoff = false, backoffDelayMillis = 50)
		public String readsItsState() {
			if (this.stateReaderRuns.incrementAndGet() == 1) {
				throw new IllegalStateException("the first attempt fails");
			}
			CurrentTask current = CurrentTask.get();
			ResultStore store = this.store;
			if (current != null && store != null) {
				this.stateSeenByRetry.set(store.find(current.id()).map(TaskResult::state).orElse(null));
			}
			return "retried";
		}

		public int member(int number) {
			CurrentTask current = CurrentTask.get();
			if (current != null) {
				this.members.add(current.id());
			}
			return number;
		}

		public int total(List<Integer> numbers) {
			ResultStore store = this.store;
			if (store != null) {
				this.membersRecordedWhenBodyRan.set(this.members.stream()
					.filter((id) -> store.find(id).filter((result) -> result.state() == TaskState.SUCCESS).isPresent())
					.count());
			}
			return numbers.stream().mapToInt(Integer::intValue).sum();
		}

	}

}
