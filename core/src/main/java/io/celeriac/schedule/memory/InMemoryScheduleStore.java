package io.celeriac.schedule.memory;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

import io.celeriac.schedule.ScheduleStore;

/**
 * A {@link ScheduleStore} in this JVM: correct for any number of schedulers in one
 * process, and forgets every schedule's last tick when the process stops (a restarted
 * schedule starts with its next tick). The embedded default.
 *
 * @author Celeriac team
 */
public class InMemoryScheduleStore implements ScheduleStore {

	private final Map<String, Instant> lastTicks = new ConcurrentHashMap<>();

	@Override
	public boolean claim(String schedule, Instant tick) {
		AtomicBoolean claimed = new AtomicBoolean();
		this.lastTicks.compute(schedule, (name, last) -> {
			if (last != null && !tick.isAfter(last)) {
				return last;
			}
			claimed.set(true);
			return tick;
		});
		return claimed.get();
	}

	@Override
	public Optional<Instant> lastTick(String schedule) {
		return Optional.ofNullable(this.lastTicks.get(schedule));
	}

}
