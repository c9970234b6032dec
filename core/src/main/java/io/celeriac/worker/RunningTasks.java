package io.celeriac.worker;

import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The queue of the message each worker thread runs, and the threads whose message was let
 * go (its queue given up by a stop or a cancel) since it was admitted: a task interrupted
 * at such a deadline unwinds as let go even when its queue is consumed again meanwhile.
 * Not thread-safe: {@link OutcomePipeline} guards it.
 *
 * @author Celeriac team
 */
final class RunningTasks {

	private final Map<Thread, String> queues = new HashMap<>();

	private final Set<Thread> letGo = new HashSet<>();

	void admitted(String queue) {
		this.queues.put(Thread.currentThread(), queue);
	}

	void finished() {
		this.queues.remove(Thread.currentThread());
		this.letGo.remove(Thread.currentThread());
	}

	boolean anyFrom(Predicate<String> queues) {
		return this.queues.values().stream().anyMatch(queues);
	}

	void letGo(Collection<String> queues) {
		this.queues.forEach((thread, queue) -> {
			if (queues.contains(queue)) {
				this.letGo.add(thread);
			}
		});
	}

	boolean currentLetGo() {
		return this.letGo.contains(Thread.currentThread());
	}

}
