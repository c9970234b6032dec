package io.celeriac.registry.memory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

import io.celeriac.registry.WorkerDescription;
import io.celeriac.registry.WorkerRegistry;

/**
 * A {@link WorkerRegistry} in this JVM: the embedded default, which knows the workers of
 * this process only. Workers not heard from within their window are pruned when the
 * registry is read.
 *
 * @author Celeriac team
 */
public class InMemoryWorkerRegistry implements WorkerRegistry {

	private final ConcurrentHashMap<String, Registration> workers = new ConcurrentHashMap<>();

	private final Clock clock;

	/**
	 * Creates a registry on the system clock.
	 */
	public InMemoryWorkerRegistry() {
		this(Clock.systemUTC());
	}

	/**
	 * Creates a registry on the given clock.
	 * @param clock tells when a registration expires
	 */
	public InMemoryWorkerRegistry(Clock clock) {
		this.clock = clock;
	}

	@Override
	public void announce(WorkerDescription worker, Duration window) {
		WorkerRegistry.requirePositive(window);
		this.workers.put(worker.id(), new Registration(worker, this.clock.instant().plus(window)));
	}

	@Override
	public boolean unregister(String id) {
		Registration removed = this.workers.remove(id);
		return removed != null && removed.expires().isAfter(this.clock.instant());
	}

	@Override
	public List<WorkerDescription> workers() {
		Instant now = this.clock.instant();
		this.workers.values().removeIf((registration) -> !registration.expires().isAfter(now));
		return this.workers.values()
			.stream()
			.map(Registration::worker)
			.sorted(Comparator.comparing(WorkerDescription::id))
			.toList();
	}

	private record Registration(WorkerDescription worker, Instant expires) {

	}

}
