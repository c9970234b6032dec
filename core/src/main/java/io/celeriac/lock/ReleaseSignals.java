package io.celeriac.lock;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Wakes the threads of this process that wait for a name (a lock's key, a limiter's name)
 * to be released. A waiter registers before it tries, remembers the
 * {@link Waiting#generation() generation} it saw, and sleeps only while no release has
 * been {@link #signal signalled} since, so a release that happens between a failed
 * attempt and the wait is never missed. Backends signal on their own releases and on the
 * releases that other processes announce.
 *
 * @author Celeriac team
 */
public final class ReleaseSignals {

	private final ConcurrentHashMap<String, Signal> signals = new ConcurrentHashMap<>();

	/**
	 * Registers the calling thread as a waiter for a name until the returned registration
	 * is closed.
	 * @param name the name waited for
	 * @return the registration
	 */
	public Waiting register(String name) {
		Signal signal = this.signals.compute(name, (key, existing) -> {
			Signal registered = (existing != null) ? existing : new Signal();
			registered.waiters++;
			return registered;
		});
		return new Waiting(name, signal);
	}

	/**
	 * Wakes every waiter of a name.
	 * @param name the released name
	 */
	public void signal(String name) {
		Signal signal = this.signals.get(name);
		if (signal != null) {
			signal.signal();
		}
	}

	/**
	 * Wakes every waiter of every name, for example after the announcements of releases
	 * may have been missed.
	 */
	public void signalAll() {
		this.signals.values().forEach(Signal::signal);
	}

	/**
	 * Returns whether any thread waits for a name.
	 * @param name the name
	 * @return whether it has waiters
	 */
	public boolean hasWaiters(String name) {
		return this.signals.containsKey(name);
	}

	private void unregister(String name) {
		this.signals.computeIfPresent(name, (key, signal) -> (--signal.waiters == 0) ? null : signal);
	}

	/**
	 * One thread's registration as a waiter for a name.
	 */
	public final class Waiting implements AutoCloseable {

		private final String name;

		private final Signal signal;

		private Waiting(String name, Signal signal) {
			this.name = name;
			this.signal = signal;
		}

		/**
		 * Returns the number of releases signalled so far.
		 * @return the generation to pass to {@link #await}
		 */
		public long generation() {
			return this.signal.generation();
		}

		/**
		 * Waits until a release is signalled after {@code seen}, or the wait elapses.
		 * @param seen the generation read before the last attempt
		 * @param wait the longest wait
		 * @throws InterruptedException if the thread is interrupted
		 */
		public void await(long seen, Duration wait) throws InterruptedException {
			this.signal.await(seen, wait.toNanos());
		}

		@Override
		public void close() {
			unregister(this.name);
		}

	}

	private static final class Signal {

		private final ReentrantLock lock = new ReentrantLock();

		private final Condition released = this.lock.newCondition();

		private long generation;

		// guarded by the map's compute
		private int waiters;

		long generation() {
			this.lock.lock();
			try {
				return this.generation;
			}
			finally {
				this.lock.unlock();
			}
		}

		void signal() {
			this.lock.lock();
			try {
				this.generation++;
				this.released.signalAll();
			}
			finally {
				this.lock.unlock();
			}
		}

		void await(long seen, long nanos) throws InterruptedException {
			this.lock.lock();
			try {
				long remaining = nanos;
				while (this.generation == seen && remaining > 0) {
					remaining = this.released.awaitNanos(remaining);
				}
			}
			finally {
				this.lock.unlock();
			}
		}

	}

}
