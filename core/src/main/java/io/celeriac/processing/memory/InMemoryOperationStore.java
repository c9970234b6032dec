package io.celeriac.processing.memory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.celeriac.processing.OperationKey;
import io.celeriac.processing.OperationStore;
import org.jspecify.annotations.Nullable;

/**
 * An {@link OperationStore} in one JVM: every step holds one lock, so it is atomic.
 * Expired entries are removed when they are next looked at and on every write.
 *
 * @author Celeriac team
 */
public class InMemoryOperationStore implements OperationStore {

	private final Map<OperationKey, Expiring<String>> results = new HashMap<>();

	private final Map<OperationKey, Expiring<String>> redirects = new HashMap<>();

	private final Map<OperationKey, Expiring<String>> processing = new HashMap<>();

	private final Map<OperationKey, Expiring<List<String>>> pending = new HashMap<>();

	private final Map<String, Expiring<String>> outcomes = new HashMap<>();

	private final Map<OperationKey, Expiring<List<String>>> delivering = new HashMap<>();

	private long writes;

	@Override
	public synchronized Lookup getOrAppend(OperationKey key, List<String> callbackArgs, String candidateId,
			Duration pendingTimeout) {
		String result = live(this.results, key);
		if (result != null) {
			return Lookup.hit(result);
		}
		String target = live(this.redirects, key);
		if (target != null) {
			return Lookup.redirected(target);
		}
		long now = System.nanoTime();
		Expiring<List<String>> existing = this.pending.get(key);
		List<String> args = live(this.pending, key);
		if (args == null) {
			args = new ArrayList<>();
		}
		args.addAll(callbackArgs);
		// the arguments outlive the processing marker, so that the next processing gets
		// them; a shorter timeout never cuts a longer life short
		long deadline = now + pendingTimeout.multipliedBy(2).toNanos();
		if (existing != null && existing.deadline() - deadline > 0 && !existing.expiredAt(now)) {
			deadline = existing.deadline();
		}
		this.pending.put(key, new Expiring<>(args, deadline));
		String running = live(this.processing, key);
		if (running != null) {
			return Lookup.joined(running);
		}
		this.processing.put(key, new Expiring<>(candidateId, now + pendingTimeout.toNanos()));
		return Lookup.started(candidateId);
	}

	@Override
	public synchronized List<String> complete(OperationKey key, String result, Duration expires) {
		this.results.put(key, new Expiring<>(result, System.nanoTime() + expires.toNanos()));
		return take(key, expires);
	}

	@Override
	public synchronized List<String> redirect(OperationKey key, String target, Duration expires) {
		this.redirects.put(key, new Expiring<>(target, System.nanoTime() + expires.toNanos()));
		return take(key, expires);
	}

	@Override
	public synchronized List<String> abandon(OperationKey key, Duration keep) {
		return take(key, keep);
	}

	@Override
	public synchronized void delivered(OperationKey key) {
		this.delivering.remove(key);
	}

	@Override
	public synchronized void release(OperationKey key, String processingId) {
		if (processingId.equals(live(this.processing, key))) {
			this.processing.remove(key);
		}
	}

	@Override
	public synchronized void touch(OperationKey key, Duration pendingTimeout) {
		long now = System.nanoTime();
		String running = live(this.processing, key);
		if (running != null) {
			this.processing.put(key, new Expiring<>(running, now + pendingTimeout.toNanos()));
		}
		List<String> args = live(this.pending, key);
		if (args != null) {
			this.pending.put(key, new Expiring<>(args, now + pendingTimeout.multipliedBy(2).toNanos()));
		}
	}

	@Override
	public synchronized void finish(String processingId, String outcome, Duration retention) {
		this.outcomes.put(processingId, new Expiring<>(outcome, System.nanoTime() + retention.toNanos()));
		purgeExpired();
	}

	@Override
	public synchronized @Nullable String outcome(String processingId) {
		return live(this.outcomes, processingId);
	}

	private List<String> take(OperationKey key, Duration keep) {
		List<String> args = live(this.pending, key);
		List<String> taken = new ArrayList<>();
		List<String> undelivered = live(this.delivering, key);
		if (undelivered != null) {
			taken.addAll(undelivered);
		}
		if (args != null) {
			taken.addAll(args);
		}
		this.pending.remove(key);
		this.processing.remove(key);
		if (!taken.isEmpty()) {
			this.delivering.put(key, new Expiring<>(List.copyOf(taken), System.nanoTime() + keep.toNanos()));
		}
		purgeExpired();
		return List.copyOf(taken);
	}

	private void purgeExpired() {
		// a full sweep now and then keeps entries nobody looks at again from piling up
		if (++this.writes % 1024 != 0) {
			return;
		}
		long now = System.nanoTime();
		for (Map<?, ? extends Expiring<?>> map : List.of(this.results, this.redirects, this.processing, this.pending,
				this.outcomes, this.delivering)) {
			map.values().removeIf((entry) -> entry.expiredAt(now));
		}
	}

	private static <K, V> @Nullable V live(Map<K, Expiring<V>> map, K key) {
		Expiring<V> entry = map.get(key);
		if (entry == null) {
			return null;
		}
		if (entry.expiredAt(System.nanoTime())) {
			map.remove(key);
			return null;
		}
		return entry.value();
	}

	private record Expiring<V>(V value, long deadline) {

		boolean expiredAt(long now) {
			return now - this.deadline >= 0;
		}

	}

}
