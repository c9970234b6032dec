package io.celeriac.cache.redis;

import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.ObjLongConsumer;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Hits counted in this process until they are added to the statistics in Redis, so that a
 * hit costs Redis one read and no write. A flush is scheduled when the first hit after
 * the previous one is counted, so an idle store schedules nothing. Counts that could not
 * be added are kept for the next flush.
 *
 * @author Celeriac team
 */
final class HitCounts implements AutoCloseable {

	private static final Log logger = LogFactory.getLog(HitCounts.class);

	private final Map<Counter, LongAdder> counts = new ConcurrentHashMap<>();

	private final AtomicBoolean scheduled = new AtomicBoolean();

	private final Duration interval;

	private final ObjLongConsumer<Counter> adder;

	private final ScheduledExecutorService scheduler;

	/**
	 * Creates the counts.
	 * @param interval how long a hit may wait before it is added
	 * @param adder adds one counter's count to Redis, throwing if it cannot
	 */
	HitCounts(Duration interval, ObjLongConsumer<Counter> adder) {
		this.interval = interval;
		this.adder = adder;
		ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1, (task) -> {
			Thread thread = new Thread(task, "celeriac-cache-hits");
			thread.setDaemon(true);
			return thread;
		});
		scheduler.setRemoveOnCancelPolicy(true);
		this.scheduler = scheduler;
	}

	void count(Counter counter) {
		LongAdder adder = this.counts.get(counter);
		if (adder == null) {
			adder = this.counts.computeIfAbsent(counter, (key) -> new LongAdder());
		}
		adder.increment();
		if (!this.scheduled.get() && this.scheduled.compareAndSet(false, true)) {
			try {
				this.scheduler.schedule(this::flushInBackground, this.interval.toNanos(), TimeUnit.NANOSECONDS);
			}
			catch (RuntimeException ex) {
				// closed: the count waits for the next flush
				this.scheduled.set(false);
			}
		}
	}

	/**
	 * Adds every pending count to Redis now.
	 * @throws io.celeriac.cache.CacheStoreException if Redis could not take them (they
	 * are kept)
	 */
	synchronized void flush() {
		Map<Counter, Long> pending = new LinkedHashMap<>();
		this.counts.forEach((counter, adder) -> {
			long count = adder.sumThenReset();
			if (count != 0) {
				pending.put(counter, count);
			}
		});
		if (pending.isEmpty()) {
			return;
		}
		Iterator<Map.Entry<Counter, Long>> left = pending.entrySet().iterator();
		try {
			while (left.hasNext()) {
				Map.Entry<Counter, Long> next = left.next();
				this.adder.accept(next.getKey(), next.getValue());
				// added: not to be given back if a later counter fails
				left.remove();
			}
		}
		catch (RuntimeException ex) {
			pending
				.forEach((counter, count) -> this.counts.computeIfAbsent(counter, (key) -> new LongAdder()).add(count));
			throw ex;
		}
	}

	private void flushInBackground() {
		this.scheduled.set(false);
		try {
			flush();
		}
		catch (RuntimeException ex) {
			logger.warn("Could not add cache hits to the statistics in Redis; trying again with the next hit: "
					+ ex.getMessage());
		}
	}

	@Override
	public void close() {
		this.scheduler.shutdownNow();
		try {
			flush();
		}
		catch (RuntimeException ex) {
			logger.warn("Could not add the last cache hits to the statistics in Redis: " + ex.getMessage());
		}
	}

	/**
	 * One counter: a field of a statistics hash.
	 *
	 * @param key the hash
	 * @param field the field
	 */
	record Counter(String key, String field) {

	}

}
