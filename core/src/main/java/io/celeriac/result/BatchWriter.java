package io.celeriac.result;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

import io.celeriac.result.BatchingResultStore.Pending;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The loop of one writer thread of a {@link BatchingResultStore}: it takes what arrived
 * (up to the batch size), writes it in one call of the delegate, completes each caller's
 * entry, writes the rows one by one when a row is refused, and, while the store is
 * unreachable and nothing arrives, tries the store after each back-off. It outlives
 * whatever a batch throws.
 *
 * @author Celeriac team
 */
final class BatchWriter {

	private static final Duration ERROR_PAUSE = Duration.ofMillis(250);

	private static final String PROBE_ID = "celeriac-reachability-probe";

	private static final Logger logger = LoggerFactory.getLogger(BatchingResultStore.class);

	private final ResultStore delegate;

	private final StoreReachability reachability;

	private final int maxBatchSize;

	private final BooleanSupplier running;

	private final Consumer<Throwable> failures;

	BatchWriter(ResultStore delegate, StoreReachability reachability, int maxBatchSize, BooleanSupplier running,
			Consumer<Throwable> failures) {
		this.delegate = delegate;
		this.reachability = reachability;
		this.maxBatchSize = maxBatchSize;
		this.running = running;
		this.failures = failures;
	}

	void write(BlockingQueue<Pending> pending) {
		List<Pending> batch = new ArrayList<>(this.maxBatchSize);
		while (this.running.getAsBoolean() || !pending.isEmpty()) {
			try {
				Pending first = pending.poll(100, TimeUnit.MILLISECONDS);
				if (first == null) {
					probeIfDue();
					continue;
				}
				batch.add(first);
				pending.drainTo(batch, this.maxBatchSize - 1);
				writeBatch(batch);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
			catch (Throwable ex) {
				// supervised: a writer outlives whatever one batch throws
				logger.error("The result writer failed on a batch of {} results; it goes on", batch.size(), ex);
				this.failures.accept(ex);
				IllegalStateException failure = new IllegalStateException(
						"The result writer failed: " + StoreReachability.describe(ex), ex);
				batch.forEach((entry) -> entry.done().completeExceptionally(failure));
				if (ex instanceof Error) {
					pause(ERROR_PAUSE);
				}
			}
			finally {
				batch.clear();
			}
		}
	}

	private void writeBatch(List<Pending> batch) {
		// entries whose callers gave up are not written
		batch.removeIf((entry) -> entry.done().isDone());
		if (batch.isEmpty()) {
			return;
		}
		try {
			this.reachability.failIfBackingOff("Result not recorded");
			this.delegate.saveAll(latestPerTask(batch));
			this.reachability.reachable();
			batch.forEach((entry) -> entry.done().complete(null));
		}
		catch (ResultStoreUnavailableException ex) {
			batch.forEach((entry) -> entry.done().completeExceptionally(ex));
		}
		catch (RuntimeException ex) {
			this.failures.accept(ex);
			RuntimeException failure = this.reachability.failed("Result not recorded", ex);
			if (failure instanceof ResultStoreUnavailableException) {
				logger.warn("{}; failing a batch of {} results", failure.getMessage(), batch.size());
				batch.forEach((entry) -> entry.done().completeExceptionally(failure));
				return;
			}
			this.reachability.reachable();
			logger.warn("Could not write a batch of {} results ({}); writing them one by one", batch.size(),
					StoreReachability.describe(ex));
			batch.forEach(this::writeAlone);
		}
	}

	private void probeIfDue() {
		// while the store is down, an idle writer tries it after each back-off, so that
		// reads (which do not try it then) find it reachable again
		if (this.reachability.unreachableSince() == null || this.reachability.isBackingOff()) {
			return;
		}
		try {
			this.delegate.find(PROBE_ID);
			this.reachability.reachable();
		}
		catch (RuntimeException ex) {
			this.failures.accept(ex);
			this.reachability.failed("Probe", ex);
		}
	}

	private static List<TaskResult> latestPerTask(List<Pending> batch) {
		// a task's STARTED and final state often share a batch: only the last is written
		Map<String, TaskResult> latest = new LinkedHashMap<>();
		for (Pending entry : batch) {
			latest.remove(entry.result().taskId());
			latest.put(entry.result().taskId(), entry.result());
		}
		return new ArrayList<>(latest.values());
	}

	private void writeAlone(Pending entry) {
		// a row that finds the store gone fails the rows after it at once
		try {
			this.reachability.failIfBackingOff("Result not recorded");
			this.delegate.save(entry.result());
			entry.done().complete(null);
		}
		catch (RuntimeException ex) {
			entry.done().completeExceptionally(this.reachability.failed("Result not recorded", ex));
		}
	}

	private static void pause(Duration duration) {
		try {
			Thread.sleep(duration.toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
