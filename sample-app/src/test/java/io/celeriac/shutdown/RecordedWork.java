package io.celeriac.shutdown;

import java.time.Duration;

import io.celeriac.task.Deferrable;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.stereotype.Component;

/**
 * A task that records in Redis when it starts and when it completes ({@code <label>
 * <pid>} pushed on the lists {@code <records>started} and {@code <records>completed}), so
 * that a test can count across processes. A task of kind {@code short} runs until the key
 * {@code <records>go} exists, then a moment more; one of kind {@code long} until
 * {@code <records>release-long} exists. Both stop when interrupted.
 *
 * @author Celeriac team
 */
@Component
public class RecordedWork {

	private static final Duration POLL = Duration.ofMillis(20);

	private final StringRedisTemplate redis;

	private final String records;

	private final long pid = ProcessHandle.current().pid();

	RecordedWork(StringRedisTemplate redis, @Value("${test.records}") String records) {
		this.redis = redis;
		this.records = records;
	}

	@Deferrable(name = "shutdown.work")
	public void work(String label, String kind) throws InterruptedException {
		this.redis.opsForList().rightPush(this.records + "started", label + " " + this.pid);
		String gate = kind.equals("long") ? "release-long" : "go";
		while (!Boolean.TRUE.equals(this.redis.hasKey(this.records + gate))) {
			Thread.sleep(POLL.toMillis());
		}
		if (!kind.equals("long")) {
			Thread.sleep(200);
		}
		this.redis.opsForList().rightPush(this.records + "completed", label + " " + this.pid);
	}

}
