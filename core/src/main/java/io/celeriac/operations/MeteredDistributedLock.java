package io.celeriac.operations;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import io.celeriac.lock.DistributedLock;
import io.celeriac.lock.HeldLock;
import io.celeriac.lock.LockTimeoutException;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * A {@link DistributedLock} that times how long callers wait for locks,
 * {@code celeriac.lock.wait{outcome=acquired|busy|timeout}}, and how long they hold them,
 * {@code celeriac.lock.held}. Lock keys are not tags: they are unbounded.
 *
 * @author Celeriac team
 */
public class MeteredDistributedLock implements DistributedLock {

	/**
	 * The timer of waits for a lock.
	 */
	public static final String WAIT = "celeriac.lock.wait";

	/**
	 * The timer of how long locks are held.
	 */
	public static final String HELD = "celeriac.lock.held";

	private final DistributedLock delegate;

	private final Timer acquired;

	private final Timer busy;

	private final Timer timedOut;

	private final Timer held;

	/**
	 * Wraps a lock.
	 * @param delegate the lock that locks
	 * @param registry where the meters go
	 */
	public MeteredDistributedLock(DistributedLock delegate, MeterRegistry registry) {
		this.delegate = delegate;
		this.acquired = waitTimer(registry, "acquired");
		this.busy = waitTimer(registry, "busy");
		this.timedOut = waitTimer(registry, "timeout");
		this.held = Timer.builder(HELD).description("How long locks were held").register(registry);
	}

	private static Timer waitTimer(MeterRegistry registry, String outcome) {
		return Timer.builder(WAIT)
			.description("How long callers waited for a lock")
			.tag("outcome", outcome)
			.register(registry);
	}

	/**
	 * Returns the wrapped lock.
	 * @return the lock
	 */
	public DistributedLock delegate() {
		return this.delegate;
	}

	@Override
	public Optional<HeldLock> tryAcquire(String key, Duration expires) {
		long start = System.nanoTime();
		Optional<HeldLock> lock = this.delegate.tryAcquire(key, expires);
		waited(start, lock.isPresent() ? this.acquired : this.busy);
		return lock.map(this::metered);
	}

	@Override
	public HeldLock acquire(String key, Duration expires, Duration timeout) {
		long start = System.nanoTime();
		try {
			HeldLock lock = this.delegate.acquire(key, expires, timeout);
			waited(start, this.acquired);
			return metered(lock);
		}
		catch (LockTimeoutException ex) {
			waited(start, this.timedOut);
			throw ex;
		}
	}

	@Override
	public boolean isLocked(String key) {
		return this.delegate.isLocked(key);
	}

	private static void waited(long start, Timer outcome) {
		outcome.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
	}

	private HeldLock metered(HeldLock lock) {
		return new MeteredHeldLock(lock, this.held, System.nanoTime());
	}

	/**
	 * A held lock that records how long it was held when first released.
	 */
	private static final class MeteredHeldLock implements HeldLock {

		private final HeldLock delegate;

		private final Timer held;

		private final long acquired;

		private final AtomicBoolean released = new AtomicBoolean();

		MeteredHeldLock(HeldLock delegate, Timer held, long acquired) {
			this.delegate = delegate;
			this.held = held;
			this.acquired = acquired;
		}

		@Override
		public String key() {
			return this.delegate.key();
		}

		@Override
		public long fencingToken() {
			return this.delegate.fencingToken();
		}

		@Override
		public boolean extend(Duration expires) {
			return this.delegate.extend(expires);
		}

		@Override
		public HeldLock keepAlive() {
			this.delegate.keepAlive();
			return this;
		}

		@Override
		public boolean isHeld() {
			return this.delegate.isHeld();
		}

		@Override
		public boolean release() {
			boolean released = this.delegate.release();
			if (this.released.compareAndSet(false, true)) {
				this.held.record(System.nanoTime() - this.acquired, TimeUnit.NANOSECONDS);
			}
			return released;
		}

	}

}
