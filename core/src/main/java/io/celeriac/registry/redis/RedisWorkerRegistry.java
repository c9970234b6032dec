package io.celeriac.registry.redis;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.celeriac.lock.redis.RedisScripts;
import io.celeriac.registry.WorkerDescription;
import io.celeriac.registry.WorkerRegistry;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.util.Assert;

/**
 * A {@link WorkerRegistry} on Redis or Redis Cluster, shared by every worker that uses
 * the same server and key prefix. Each worker is a key holding its description as JSON
 * with a time to live of its window ({@code <prefix>workers:{registry}:<id>}), and a
 * sorted set ({@code <prefix>workers:{registry}}) scores each worker with its deadline.
 * Lua scripts announce, unregister, and prune the workers whose deadline has passed
 * before reading the rest, all keys in one hash slot; deadlines are on the server's
 * clock, so the workers' clocks need not agree.
 *
 * @author Celeriac team
 */
public class RedisWorkerRegistry implements WorkerRegistry {

	private final RedisScripts redis;

	private final String registryKey;

	private final JsonMapper mapper = JsonMapper.builder().build();

	private final RedisScripts.Script announceScript = RedisScripts.load("registry-announce");

	private final RedisScripts.Script workersScript = RedisScripts.load("registry-workers");

	private final RedisScripts.Script unregisterScript = RedisScripts.load("registry-unregister");

	/**
	 * Creates a registry on the given connections.
	 * @param connectionFactory the Redis connections
	 * @param keyPrefix the prefix of every key, e.g. {@code celeriac:}
	 */
	public RedisWorkerRegistry(RedisConnectionFactory connectionFactory, String keyPrefix) {
		Assert.notNull(connectionFactory, "RedisConnectionFactory must not be null");
		Assert.notNull(keyPrefix, "Key prefix must not be null");
		this.redis = new RedisScripts(connectionFactory);
		this.registryKey = keyPrefix + "workers:{registry}";
	}

	@Override
	public void announce(WorkerDescription worker, Duration window) {
		WorkerRegistry.requirePositive(window);
		this.redis.integer(this.announceScript, List.of(this.registryKey, workerKey(worker.id())), worker.id(),
				this.mapper.writeValueAsString(worker), Long.toString(Math.max(1, window.toMillis())));
	}

	@Override
	public boolean unregister(String id) {
		return this.redis.integer(this.unregisterScript, List.of(this.registryKey, workerKey(id)), id) == 1;
	}

	@Override
	public List<WorkerDescription> workers() {
		List<Object> descriptions = this.redis.multi(this.workersScript, List.of(this.registryKey));
		List<WorkerDescription> workers = new ArrayList<>(descriptions.size());
		for (Object description : descriptions) {
			String json = (description instanceof byte[] bytes) ? new String(bytes, StandardCharsets.UTF_8)
					: String.valueOf(description);
			workers.add(this.mapper.readValue(json, WorkerDescription.class));
		}
		return workers;
	}

	private String workerKey(String id) {
		return this.registryKey + ":" + id;
	}

}
