package io.celeriac.revoke.memory;

import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

import io.celeriac.revoke.RevokedTaskStore;

/**
 * A {@link RevokedTaskStore} in this JVM: the embedded default, which a restart empties,
 * as a Celery worker without {@code --statedb}.
 *
 * @author Celeriac team
 */
public class InMemoryRevokedTaskStore implements RevokedTaskStore {

	private final LinkedHashMap<String, Instant> revoked = new LinkedHashMap<>();

	private final Limits limits;

	private final Clock clock;

	/**
	 * Creates a store with the given limits on the system clock.
	 * @param limits how many ids it keeps and for how long
	 */
	public InMemoryRevokedTaskStore(Limits limits) {
		this(limits, Clock.systemUTC());
	}

	/**
	 * Creates a store with the given limits and clock.
	 * @param limits how many ids it keeps and for how long
	 * @param clock tells when an id is too old
	 */
	public InMemoryRevokedTaskStore(Limits limits, Clock clock) {
		this.limits = limits;
		this.clock = clock;
	}

	@Override
	public synchronized void add(Collection<String> ids, Instant revokedAt) {
		for (String id : ids) {
			this.revoked.remove(id);
			this.revoked.put(id, revokedAt);
		}
		purge();
	}

	@Override
	public synchronized boolean contains(String id) {
		purge();
		return this.revoked.containsKey(id);
	}

	@Override
	public synchronized Map<String, Instant> revoked() {
		purge();
		return new LinkedHashMap<>(this.revoked);
	}

	private void purge() {
		Instant oldest = this.clock.instant().minus(this.limits.maxAge());
		this.revoked.values().removeIf((at) -> !at.isAfter(oldest));
		while (this.revoked.size() > this.limits.maxCount()) {
			String oldestId = null;
			Instant oldestAt = null;
			for (Map.Entry<String, Instant> entry : this.revoked.entrySet()) {
				if (oldestAt == null || entry.getValue().isBefore(oldestAt)) {
					oldestId = entry.getKey();
					oldestAt = entry.getValue();
				}
			}
			this.revoked.remove(oldestId);
		}
	}

}
