package io.celeriac.test.lock;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import io.celeriac.lock.DistributedLock;
import io.celeriac.lock.HeldLock;
import org.jspecify.annotations.Nullable;

import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * Threads that increment a Redis counter the unsafe way, with a GET and then a SET, so
 * that two increments that overlap lose one; under a lock none may be lost.
 *
 * @param redis where the counter lives
 * @param lock the lock to take around each increment, or {@code null} for none
 * @param lockKey the lock's key
 * @param counterKey the counter's key
 * @author Celeriac team
 */
public record CounterHammer(StringRedisTemplate redis, @Nullable DistributedLock lock, String lockKey,
		String counterKey) {

	/**
	 * Increments the counter {@code iterations} times on each of {@code threads} threads.
	 * @param threads how many threads
	 * @param iterations increments per thread
	 * @throws Exception if a thread failed
	 */
	public void run(int threads, int iterations) throws Exception {
		ExecutorService executor = Executors.newFixedThreadPool(threads);
		try {
			List<Future<?>> workers = new ArrayList<>();
			for (int thread = 0; thread < threads; thread++) {
				workers.add(executor.submit(() -> {
					for (int i = 0; i < iterations; i++) {
						increment();
					}
					return null;
				}));
			}
			for (Future<?> worker : workers) {
				worker.get(2, TimeUnit.MINUTES);
			}
		}
		finally {
			executor.shutdownNow();
		}
	}

	private void increment() {
		DistributedLock locks = this.lock;
		if (locks == null) {
			unsafeIncrement();
			return;
		}
		try (HeldLock held = locks.acquire(this.lockKey, Duration.ofSeconds(30), Duration.ofMinutes(1))) {
			unsafeIncrement();
		}
	}

	private void unsafeIncrement() {
		String value = this.redis.opsForValue().get(this.counterKey);
		long current = (value != null) ? Long.parseLong(value) : 0;
		this.redis.opsForValue().set(this.counterKey, Long.toString(current + 1));
	}

}
