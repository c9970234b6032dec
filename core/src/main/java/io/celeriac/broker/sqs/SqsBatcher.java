package io.celeriac.broker.sqs;

import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.ToIntFunction;

import org.jspecify.annotations.Nullable;

/**
 * Groups the calls of one queue into SQS batch calls of up to ten entries without waiting
 * for a batch to fill (natural batching, as a database's group commit): the caller that
 * finds no batch call running sends, in its own thread, everything waiting, ten at a
 * time; the entries that arrive meanwhile from other threads go in its next call. A lone
 * caller thus pays one call per entry, as without batching, and concurrent callers share
 * calls. A call also stops short of ten entries where their payloads would pass SQS's
 * limit on a batch's size.
 *
 * @param <E> the entry type
 * @author Celeriac team
 */
final class SqsBatcher<E> {

	private final Queue<Pending<E>> pending = new ConcurrentLinkedQueue<>();

	private final AtomicBoolean sending = new AtomicBoolean();

	private final BatchCall<E> call;

	private final ToIntFunction<E> size;

	private final int maxBatchSize;

	/**
	 * Creates a batcher.
	 * @param call the batch call
	 * @param size the size an entry adds to a call's payload
	 * @param maxBatchSize the largest payload of one call (SQS's limit on the sum of a
	 * batch's messages)
	 */
	SqsBatcher(BatchCall<E> call, ToIntFunction<E> size, int maxBatchSize) {
		this.call = call;
		this.size = size;
		this.maxBatchSize = maxBatchSize;
	}

	/**
	 * Adds an entry and, unless another caller is sending, sends every waiting entry.
	 * @param entry the entry
	 * @return a future completed once the entry's batch call answered, exceptionally if
	 * SQS refused the entry or the call failed
	 */
	CompletableFuture<Void> submit(E entry) {
		Pending<E> added = new Pending<>(entry, new CompletableFuture<>());
		this.pending.add(added);
		// a sender re-checks for entries after it stops, so none is left waiting
		while (!this.pending.isEmpty() && this.sending.compareAndSet(false, true)) {
			try {
				sendWaiting();
			}
			finally {
				this.sending.set(false);
			}
		}
		return added.future();
	}

	private void sendWaiting() {
		Pending<E> carried = null;
		while (true) {
			List<Pending<E>> batch = new ArrayList<>(SqsBroker.BATCH_SIZE);
			long batchSize = 0;
			while (batch.size() < SqsBroker.BATCH_SIZE) {
				Pending<E> next = (carried != null) ? carried : this.pending.poll();
				carried = null;
				if (next == null) {
					break;
				}
				int entrySize = this.size.applyAsInt(next.entry());
				if (!batch.isEmpty() && batchSize + entrySize > this.maxBatchSize) {
					// too big for this call: first in the next one
					carried = next;
					break;
				}
				batch.add(next);
				batchSize += entrySize;
			}
			if (batch.isEmpty()) {
				return;
			}
			List<@Nullable RuntimeException> failures;
			try {
				failures = this.call.send(batch.stream().map(Pending::entry).toList());
			}
			catch (RuntimeException ex) {
				batch.forEach((entry) -> entry.future().completeExceptionally(ex));
				continue;
			}
			for (int i = 0; i < batch.size(); i++) {
				RuntimeException failure = failures.get(i);
				if (failure != null) {
					batch.get(i).future().completeExceptionally(failure);
				}
				else {
					batch.get(i).future().complete(null);
				}
			}
		}
	}

	/**
	 * One SQS batch call.
	 *
	 * @param <E> the entry type
	 */
	@FunctionalInterface
	interface BatchCall<E> {

		/**
		 * Sends up to ten entries in one call.
		 * @param entries the entries, whose index is their batch entry id
		 * @return per entry, in order, {@code null} where SQS took it, else why not
		 */
		List<@Nullable RuntimeException> send(List<E> entries);

	}

	private record Pending<E>(E entry, CompletableFuture<Void> future) {

	}

}
