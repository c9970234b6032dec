package io.celeriac.autoconfigure.registry;

import io.celeriac.autoconfigure.StoreType;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The worker registry, where each running worker announces itself.
 * <p>
 * Bound to {@code celeriac.registry.*}.
 *
 * @author Celeriac team
 */
@ConfigurationProperties("celeriac.registry")
public class RegistryProperties {

	/**
	 * Worker registry backend. When unset: redis if spring.data.redis.host, url, port,
	 * cluster.nodes or sentinel.master is set or a DataRedisConnectionDetails bean
	 * exists, memory otherwise. The memory registry knows this process's worker only.
	 */
	private @Nullable StoreType type;

	/**
	 * Whether the worker announces itself in the registry (when this application runs a
	 * worker).
	 */
	private boolean enabled = true;

	/**
	 * How many heartbeat intervals may pass without a heartbeat before a worker is pruned
	 * from the registry as dead. At least 2.
	 */
	private int missedHeartbeats = 3;

	public @Nullable StoreType getType() {
		return this.type;
	}

	public void setType(@Nullable StoreType type) {
		this.type = type;
	}

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public int getMissedHeartbeats() {
		return this.missedHeartbeats;
	}

	public void setMissedHeartbeats(int missedHeartbeats) {
		this.missedHeartbeats = missedHeartbeats;
	}

}
