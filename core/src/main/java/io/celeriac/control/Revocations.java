package io.celeriac.control;

import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.Set;

import io.celeriac.revoke.RevokedTaskStore;
import io.celeriac.revoke.memory.InMemoryRevokedTaskStore;
import io.celeriac.worker.TaskRevocation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A worker's revoked tasks, Celery's {@code worker_state.revoked}: the ids of the
 * {@code revoke} commands it received, kept in memory (so that checking a task costs
 * nothing) and in a {@link RevokedTaskStore} (so that they outlive a restart: they are
 * read back before the first check).
 *
 * @author Celeriac team
 */
public class Revocations implements TaskRevocation {

	private static final Logger logger = LoggerFactory.getLogger(Revocations.class);

	private final RevokedTaskStore store;

	private final InMemoryRevokedTaskStore local;

	private final ActiveTasks active;

	private final Clock clock;

	private volatile boolean loaded;

	/**
	 * Creates the revocations of a worker.
	 * @param store where revoked ids outlive the worker
	 * @param limits how many ids are kept in memory and for how long
	 * @param active the tasks the worker runs, which {@code terminate} interrupts
	 */
	public Revocations(RevokedTaskStore store, RevokedTaskStore.Limits limits, ActiveTasks active) {
		this(store, limits, active, Clock.systemUTC());
	}

	/**
	 * Creates the revocations of a worker on the given clock.
	 * @param store where revoked ids outlive the worker
	 * @param limits how many ids are kept in memory and for how long
	 * @param active the tasks the worker runs, which {@code terminate} interrupts
	 * @param clock tells when an id was revoked
	 */
	public Revocations(RevokedTaskStore store, RevokedTaskStore.Limits limits, ActiveTasks active, Clock clock) {
		this.store = store;
		this.local = new InMemoryRevokedTaskStore(limits, clock);
		this.active = active;
		this.clock = clock;
	}

	/**
	 * Revokes tasks: they are not started from now on, and with {@code terminate} those
	 * running are interrupted.
	 * @param ids the task ids
	 * @param terminate whether to interrupt them if they run
	 * @return the ids of the tasks interrupted
	 */
	public Set<String> revoke(Collection<String> ids, boolean terminate) {
		load();
		Instant now = this.clock.instant();
		this.local.add(ids, now);
		try {
			this.store.add(ids, now);
		}
		catch (RuntimeException ex) {
			logger.warn("Could not store revoked tasks {} ({}); this worker refuses them until it stops", ids,
					ex.toString());
		}
		return terminate ? this.active.terminate(ids) : Set.of();
	}

	/**
	 * Returns the ids revoked and not yet forgotten, Celery's {@code inspect revoked}.
	 * @return the ids
	 */
	public Collection<String> revoked() {
		load();
		return this.local.revoked().keySet();
	}

	/**
	 * Returns the ids revoked and not yet forgotten with when each was revoked, what
	 * Celery's mingle {@code hello} exchanges between workers.
	 * @return the ids and times
	 */
	public Map<String, Instant> revokedAt() {
		load();
		return this.local.revoked();
	}

	@Override
	public boolean isRevoked(String taskId) {
		load();
		return this.local.contains(taskId);
	}

	@Override
	public boolean terminated(String taskId) {
		return this.active.wasTerminated(taskId);
	}

	private void load() {
		if (this.loaded) {
			return;
		}
		synchronized (this) {
			if (this.loaded) {
				return;
			}
			try {
				this.store.revoked().forEach((id, at) -> this.local.add(Set.of(id), at));
				this.loaded = true;
			}
			catch (RuntimeException ex) {
				logger.warn("Could not read the revoked tasks ({}); trying again with the next task", ex.toString());
			}
		}
	}

}
