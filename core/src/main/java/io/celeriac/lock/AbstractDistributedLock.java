package io.celeriac.lock;

import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.util.Assert;

/**
 * What every {@link DistributedLock} backend shares: argument checks, owner tokens,
 * waiting until a release is signalled (or the holder's lock expires), the held-lock
 * handle and its watchdog. A backend supplies the four atomic store operations and calls
 * {@link #released(String)} when it learns that a lock was released.
 *
 * @author Celeriac team
 */
public abstract class AbstractDistributedLock implements DistributedLock, AutoCloseable {

	private static final Duration UNKNOWN_EXPIRY_RECHECK = Duration.ofMillis(100);

	private final Logger logger = LoggerFactory.getLogger(getClass());

	private final ReleaseSignals signals = new ReleaseSignals();

	private final String instance = UUID.randomUUID().toString();

	private final AtomicLong acquisitions = new AtomicLong();

	private final ScheduledExecutorService watchdog = Executors.newSingleThreadScheduledExecutor((task) -> {
		Thread thread = new Thread(task, "celeriac-lock-watchdog");
		thread.setDaemon(true);
		return thread;
	});

	/**
	 * Takes the lock for an owner if nobody holds it, and increments the key's fencing
	 * counter in the same atomic step.
	 * @param key the lock's name
	 * @param owner the owner token of this acquisition
	 * @param expires the lock's time to live
	 * @param wait how long the caller will wait if the lock is held
	 * ({@link Duration#ZERO} when it will not), so that the backend announces releases to
	 * it
	 * @return what the attempt found
	 */
	protected abstract LockAttempt tryLock(String key, String owner, Duration expires, Duration wait);

	/**
	 * Releases the lock if the owner holds it, and announces the release to waiters in
	 * every process.
	 * @param key the lock's name
	 * @param owner the owner token
	 * @return whether the owner held the lock
	 */
	protected abstract boolean unlock(String key, String owner);

	/**
	 * Resets the lock's time to live if the owner holds it.
	 * @param key the lock's name
	 * @param owner the owner token
	 * @param expires the new time to live
	 * @return whether the owner held the lock
	 */
	protected abstract boolean extend(String key, String owner, Duration expires);

	/**
	 * Returns the owner token that holds the lock now.
	 * @param key the lock's name
	 * @return the owner, or {@code null} when the lock is free
	 */
	protected abstract @Nullable String holder(String key);

	/**
	 * Wakes this process's waiters for a key; backends call it when a release is
	 * announced.
	 * @param key the released lock's name
	 */
	protected final void released(String key) {
		this.signals.signal(key);
	}

	/**
	 * Wakes every waiter of this process, for when release announcements may have been
	 * missed (e.g. after a reconnection).
	 */
	protected final void releasedAll() {
		this.signals.signalAll();
	}

	@Override
	public Optional<HeldLock> tryAcquire(String key, Duration expires) {
		checkKey(key);
		checkExpires(expires);
		String owner = nextOwner();
		LockAttempt attempt = tryLock(key, owner, expires, Duration.ZERO);
		return attempt.acquired() ? Optional.of(new Held(key, owner, attempt.fencingToken(), expires))
				: Optional.empty();
	}

	@Override
	public HeldLock acquire(String key, Duration expires, Duration timeout) {
		checkKey(key);
		checkExpires(expires);
		Assert.isTrue(timeout != null && !timeout.isNegative(), () -> "Timeout must not be negative, was " + timeout);
		String owner = nextOwner();
		long deadline = System.nanoTime() + timeout.toNanos();
		try (ReleaseSignals.Waiting waiting = this.signals.register(key)) {
			while (true) {
				long seen = waiting.generation();
				Duration wait = Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
				LockAttempt attempt = tryLock(key, owner, expires, wait);
				if (attempt.acquired()) {
					return new Held(key, owner, attempt.fencingToken(), expires);
				}
				long remaining = deadline - System.nanoTime();
				if (remaining <= 0) {
					throw new LockTimeoutException(key, timeout);
				}
				Duration untilExpiry = !attempt.retryWithin().isZero() && !attempt.retryWithin().isNegative()
						? attempt.retryWithin() : UNKNOWN_EXPIRY_RECHECK;
				waiting.await(seen, min(Duration.ofNanos(remaining), untilExpiry));
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new LockTimeoutException(key, timeout);
		}
	}

	@Override
	public boolean isLocked(String key) {
		checkKey(key);
		return holder(key) != null;
	}

	/**
	 * Stops the watchdogs. Locks still held are left to expire.
	 */
	@Override
	public void close() {
		this.watchdog.shutdownNow();
	}

	private String nextOwner() {
		return this.instance + ":" + this.acquisitions.incrementAndGet();
	}

	private static Duration min(Duration first, Duration second) {
		return (first.compareTo(second) <= 0) ? first : second;
	}

	private static void checkKey(String key) {
		Assert.isTrue(key != null && !key.isEmpty(), "Lock key must not be empty");
	}

	private static void checkExpires(Duration expires) {
		Assert.isTrue(expires != null && expires.toMillis() >= 1,
				() -> "Lock expiry must be at least one millisecond, was " + expires);
	}

	private final class Held implements HeldLock {

		private final String key;

		private final String owner;

		private final long fencingToken;

		private final Duration expires;

		private final AtomicBoolean released = new AtomicBoolean();

		private volatile @Nullable ScheduledFuture<?> keepingAlive;

		Held(String key, String owner, long fencingToken, Duration expires) {
			this.key = key;
			this.owner = owner;
			this.fencingToken = fencingToken;
			this.expires = expires;
		}

		@Override
		public String key() {
			return this.key;
		}

		@Override
		public long fencingToken() {
			return this.fencingToken;
		}

		@Override
		public boolean extend(Duration expires) {
			checkExpires(expires);
			return !this.released.get() && AbstractDistributedLock.this.extend(this.key, this.owner, expires);
		}

		@Override
		public synchronized HeldLock keepAlive() {
			if (this.keepingAlive == null && !this.released.get()) {
				long period = Math.max(1, this.expires.toMillis() / 3);
				this.keepingAlive = AbstractDistributedLock.this.watchdog.scheduleAtFixedRate(this::extendOrStop,
						period, period, TimeUnit.MILLISECONDS);
			}
			return this;
		}

		private void extendOrStop() {
			try {
				if (!extend(this.expires)) {
					AbstractDistributedLock.this.logger.warn("Lock '{}' was lost; its watchdog stops", this.key);
					stopKeepingAlive();
				}
			}
			catch (RuntimeException ex) {
				AbstractDistributedLock.this.logger.warn("Could not extend lock '{}'; the watchdog tries again",
						this.key, ex);
			}
		}

		private void stopKeepingAlive() {
			ScheduledFuture<?> future = this.keepingAlive;
			if (future != null) {
				future.cancel(false);
			}
		}

		@Override
		public boolean isHeld() {
			return !this.released.get() && this.owner.equals(holder(this.key));
		}

		@Override
		public boolean release() {
			if (!this.released.compareAndSet(false, true)) {
				return false;
			}
			stopKeepingAlive();
			return unlock(this.key, this.owner);
		}

		@Override
		public String toString() {
			return "HeldLock[key=" + this.key + ", fencingToken=" + this.fencingToken + "]";
		}

	}

}
