package io.celeriac.test.result;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.celeriac.result.CeleryResultFormat;
import io.celeriac.result.ResultWatcher;
import io.celeriac.result.TaskResult;
import io.celeriac.result.TaskState;
import io.celeriac.result.redis.RedisResultChannel;
import io.celeriac.result.redis.RedisResultStore;
import io.celeriac.test.services.RealServices;
import io.celeriac.test.services.RedisEndpoint;
import io.celeriac.test.services.ServiceIsolation;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Handles waiting on the Redis result store are woken by the message published with each
 * save, instead of polling: with the safety poll set to an hour, a result saved after the
 * wait began is still seen at once.
 *
 * @author Celeriac team
 */
@RealServices
class RedisResultChannelTests {

	private final LettuceConnectionFactory connectionFactory;

	private final RedisResultStore store;

	private final RedisResultChannel channel;

	private final AtomicInteger subscriptions = new AtomicInteger();

	private final ResultWatcher watcher;

	RedisResultChannelTests(RedisEndpoint redis, ServiceIsolation isolation) {
		this.connectionFactory = new LettuceConnectionFactory(
				new RedisStandaloneConfiguration(redis.host(), redis.port()));
		this.connectionFactory.afterPropertiesSet();
		String prefix = isolation.redisKeyPrefix();
		this.store = new RedisResultStore(this.connectionFactory, new CeleryResultFormat(new JsonMapper()), prefix,
				Duration.ofMinutes(5));
		this.channel = new RedisResultChannel(this.connectionFactory, prefix);
		this.watcher = new ResultWatcher(this.store, (taskId, onSaved) -> {
			this.subscriptions.incrementAndGet();
			return this.channel.subscribe(taskId, onSaved);
		}, Duration.ofHours(1));
	}

	@AfterEach
	void close() throws Exception {
		this.watcher.destroy();
		this.channel.destroy();
		this.connectionFactory.destroy();
	}

	@Test
	void aFutureCompletesWhenTheResultIsPublished() throws Exception {
		String id = UUID.randomUUID().toString();
		CompletableFuture<TaskResult> future = this.watcher.whenFinal(id);
		assertThat(this.subscriptions).hasValue(1);
		// the first reads (1, 2, 4 ms...) find nothing; after them only the hourly poll
		// is left
		await().pollDelay(Duration.ofMillis(300)).atMost(Duration.ofSeconds(5)).until(() -> !future.isDone());
		saveUntilSeen(id, future);
		assertThat(future.get(5, TimeUnit.SECONDS).state()).isEqualTo(TaskState.SUCCESS);
	}

	@Test
	void aBlockedWaiterWakesWhenTheResultIsPublished() throws Exception {
		String id = UUID.randomUUID().toString();
		CompletableFuture<TaskState> state = CompletableFuture
			.supplyAsync(() -> this.watcher.awaitFinal(id, Duration.ofMinutes(1)));
		await().atMost(Duration.ofSeconds(5)).until(() -> this.subscriptions.get() == 1);
		await().pollDelay(Duration.ofMillis(300)).atMost(Duration.ofSeconds(5)).until(() -> !state.isDone());
		saveUntilSeen(id, state);
		assertThat(state.get(5, TimeUnit.SECONDS)).isEqualTo(TaskState.SUCCESS);
	}

	// the SUBSCRIBE is asynchronous: publish again until the waiter has seen one
	private void saveUntilSeen(String id, CompletableFuture<?> waiter) {
		await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200)).until(() -> {
			this.store.save(new TaskResult(id, TaskState.SUCCESS, null, null, "sample.add", null, null, "w", 0,
					"sample", Instant.now()));
			return waiter.isDone();
		});
	}

}
