package io.celeriac.debounce.memory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

import io.celeriac.debounce.DebounceDecision;
import io.celeriac.debounce.Debouncer;

/**
 * A {@link Debouncer} in this process's memory: correct within one process only. Entries
 * are dropped once their window has passed.
 *
 * @author Celeriac team
 */
public class InMemoryDebouncer implements Debouncer {

	private final Clock clock;

	private final Map<String, State> states = new HashMap<>();

	/**
	 * Creates a debouncer on the system clock.
	 */
	public InMemoryDebouncer() {
		this(Clock.systemUTC());
	}

	/**
	 * Creates a debouncer on the given clock.
	 * @param clock the clock
	 */
	public InMemoryDebouncer(Clock clock) {
		this.clock = clock;
	}

	@Override
	public synchronized DebounceDecision decide(String key, Duration window, boolean alwaysDelay) {
		if (window.toMillis() < 1) {
			throw new IllegalArgumentException("A debounce window must be at least 1 ms, not " + window);
		}
		Instant now = this.clock.instant();
		this.states.values().removeIf((state) -> !state.last().plus(window).isAfter(now) && !state.pending(now));
		State state = this.states.get(key);
		if (state != null && state.pending(now)) {
			return DebounceDecision.skipped();
		}
		String undo = (state != null) ? state.last().toString() : "";
		if (alwaysDelay) {
			Instant due = now.plus(window);
			this.states.put(key, new State(due, due));
			return DebounceDecision.delayed(window, due + "|" + undo);
		}
		if (state == null || !now.isBefore(state.last().plus(window))) {
			this.states.put(key, new State(now, null));
			return DebounceDecision.now(now + "|" + undo);
		}
		Instant due = state.last().plus(window);
		this.states.put(key, new State(due, due));
		return DebounceDecision.delayed(Duration.between(now, due), due + "|" + undo);
	}

	@Override
	public synchronized void undo(String key, DebounceDecision decision) {
		if (decision.undo().isEmpty()) {
			return;
		}
		String[] parts = decision.undo().split("\\|", -1);
		State state = this.states.get(key);
		if (state == null || !state.last().toString().equals(parts[0])) {
			// a later decision replaced it
			return;
		}
		if (parts[1].isEmpty()) {
			this.states.remove(key);
		}
		else {
			// expired entries are dropped by the next decision
			this.states.put(key, new State(Instant.parse(parts[1]), null));
		}
	}

	private record State(Instant last, @org.jspecify.annotations.Nullable Instant pendingUntil) {

		boolean pending(Instant now) {
			return this.pendingUntil != null && this.pendingUntil.isAfter(now);
		}

	}

}
