package io.celeriac.schedule.redis;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import io.celeriac.schedule.ScheduleStore;

import org.springframework.core.io.ClassPathResource;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.util.StreamUtils;

/**
 * A {@link ScheduleStore} in Redis: one hash, {@code <prefix>schedules}, holds each
 * schedule's last tick in epoch milliseconds, and a Lua script moves it forward only if
 * the claimed tick is later, so any number of processes may claim at once. The last ticks
 * survive restarts of every process.
 *
 * @author Celeriac team
 */
public class RedisScheduleStore implements ScheduleStore {

	private static final RedisScript<Long> CLAIM = script("schedule-claim.lua");

	private final StringRedisTemplate redis;

	private final List<String> keys;

	/**
	 * Creates a store.
	 * @param connectionFactory the Redis connection factory
	 * @param keyPrefix the prefix of its key, e.g. {@code celeriac:}
	 */
	public RedisScheduleStore(RedisConnectionFactory connectionFactory, String keyPrefix) {
		this.redis = new StringRedisTemplate(connectionFactory);
		this.keys = List.of(keyPrefix + "schedules");
	}

	private static RedisScript<Long> script(String name) {
		String path = "META-INF/celeriac/" + name;
		try (InputStream source = new ClassPathResource(path).getInputStream()) {
			return RedisScript.of(StreamUtils.copyToString(source, StandardCharsets.UTF_8), Long.class);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not read " + path, ex);
		}
	}

	@Override
	public boolean claim(String schedule, Instant tick) {
		Long claimed = this.redis.execute(CLAIM, this.keys, schedule, Long.toString(tick.toEpochMilli()));
		return claimed != null && claimed == 1;
	}

	@Override
	public Optional<Instant> lastTick(String schedule) {
		Object last = this.redis.opsForHash().get(this.keys.get(0), schedule);
		return Optional.ofNullable(last).map((millis) -> Instant.ofEpochMilli(Long.parseLong(millis.toString())));
	}

}
