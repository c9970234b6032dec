package io.celeriac.registry;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Where running workers announce themselves, as retools' worker registry: each worker
 * {@linkplain #announce announces} its description at every heartbeat, with a window
 * within which the next heartbeat must come; a worker not heard from within its window
 * (it died, or lost its connection) is pruned, and a worker that stops
 * {@linkplain #unregister unregisters} at once.
 *
 * @author Celeriac team
 */
public interface WorkerRegistry {

	/**
	 * Registers a worker or refreshes its registration, replacing its description.
	 * @param worker the worker's description
	 * @param window how long the registration lasts without another announcement
	 */
	void announce(WorkerDescription worker, Duration window);

	/**
	 * Removes a worker's registration at once.
	 * @param id the worker's id
	 * @return {@code true} if it was registered
	 */
	boolean unregister(String id);

	/**
	 * Returns the workers heard from within their window, ordered by id, after pruning
	 * the others.
	 * @return the live workers
	 */
	List<WorkerDescription> workers();

	/**
	 * Returns one live worker.
	 * @param id the worker's id
	 * @return the worker, or empty if it is not registered or was not heard from within
	 * its window
	 */
	default Optional<WorkerDescription> find(String id) {
		return workers().stream().filter((worker) -> worker.id().equals(id)).findFirst();
	}

	/**
	 * Checks an announcement's window.
	 * @param window the window
	 * @return the window
	 * @throws IllegalArgumentException if it is not positive
	 */
	static Duration requirePositive(Duration window) {
		if (window.isNegative() || window.isZero()) {
			throw new IllegalArgumentException("A worker is announced for a positive window, not " + window);
		}
		return window;
	}

}
