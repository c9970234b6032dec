package io.celeriac.lock.memory;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import io.celeriac.lock.AbstractDistributedLock;
import io.celeriac.lock.DistributedLock;
import io.celeriac.lock.LockAttempt;
import org.jspecify.annotations.Nullable;

/**
 * A {@link DistributedLock} held in this JVM: the embedded default, correct between the
 * threads of one process and useless between processes. Expiry uses the monotonic clock.
 *
 * @author Celeriac team
 */
public class InMemoryDistributedLock extends AbstractDistributedLock {

	private final ConcurrentHashMap<String, Holder> holders = new ConcurrentHashMap<>();

	private final ConcurrentHashMap<String, AtomicLong> fencingCounters = new ConcurrentHashMap<>();

	@Override
	protected LockAttempt tryLock(String key, String owner, Duration expires, Duration wait) {
		long now = System.nanoTime();
		Holder holder = this.holders.compute(key, (name, current) -> {
			if (current != null && !current.expiredAt(now)) {
				return current;
			}
			long token = this.fencingCounters.computeIfAbsent(name, (ignored) -> new AtomicLong()).incrementAndGet();
			return new Holder(owner, now + expires.toNanos(), token);
		});
		return holder.owner().equals(owner) ? LockAttempt.taken(holder.fencingToken())
				: LockAttempt.held(Duration.ofNanos(Math.max(1, holder.expiresAt() - now)));
	}

	@Override
	protected boolean unlock(String key, String owner) {
		long now = System.nanoTime();
		AtomicBoolean released = new AtomicBoolean();
		this.holders.computeIfPresent(key, (name, current) -> {
			if (!current.owner().equals(owner)) {
				return current;
			}
			released.set(!current.expiredAt(now));
			return null;
		});
		if (released.get()) {
			released(key);
		}
		return released.get();
	}

	@Override
	protected boolean extend(String key, String owner, Duration expires) {
		long now = System.nanoTime();
		AtomicBoolean extended = new AtomicBoolean();
		this.holders.computeIfPresent(key, (name, current) -> {
			if (!current.owner().equals(owner) || current.expiredAt(now)) {
				return current;
			}
			extended.set(true);
			return new Holder(owner, now + expires.toNanos(), current.fencingToken());
		});
		return extended.get();
	}

	@Override
	protected @Nullable String holder(String key) {
		Holder holder = this.holders.get(key);
		return (holder != null && !holder.expiredAt(System.nanoTime())) ? holder.owner() : null;
	}

	private record Holder(String owner, long expiresAt, long fencingToken) {

		boolean expiredAt(long now) {
			return now - this.expiresAt >= 0;
		}

	}

}
