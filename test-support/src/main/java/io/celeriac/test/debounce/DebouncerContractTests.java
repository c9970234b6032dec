package io.celeriac.test.debounce;

import java.time.Duration;
import java.util.UUID;

import io.celeriac.debounce.DebounceDecision;
import io.celeriac.debounce.DebounceDecision.Outcome;
import io.celeriac.debounce.Debouncer;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * The contract of a {@link Debouncer}, as the seed describes debouncing: the first call
 * in a window runs now, the next is delayed to the window's end, further ones are
 * skipped; with {@code alwaysDelay} the first is delayed by the whole window and the rest
 * skipped; different calls do not interfere. Each debouncer's test extends it.
 *
 * @author Celeriac team
 */
public abstract class DebouncerContractTests {

	private static final Duration WINDOW = Duration.ofSeconds(30);

	/**
	 * Returns the debouncer under test.
	 * @return the debouncer
	 */
	protected abstract Debouncer debouncer();

	@Test
	void firstRunsNowNextIsDelayedToTheWindowsEndFurtherOnesAreSkipped() {
		String key = UUID.randomUUID().toString();
		assertThat(debouncer().decide(key, WINDOW, false)).isEqualTo(DebounceDecision.now());
		DebounceDecision second = debouncer().decide(key, WINDOW, false);
		assertThat(second.outcome()).isEqualTo(Outcome.DELAYED);
		assertThat(second.delay()).isPositive().isLessThanOrEqualTo(WINDOW);
		for (int i = 0; i < 5; i++) {
			assertThat(debouncer().decide(key, WINDOW, false)).isEqualTo(DebounceDecision.skipped());
		}
	}

	@Test
	void alwaysDelayDelaysTheFirstByTheWholeWindowAndSkipsTheRest() {
		String key = UUID.randomUUID().toString();
		assertThat(debouncer().decide(key, WINDOW, true)).isEqualTo(DebounceDecision.delayed(WINDOW));
		assertThat(debouncer().decide(key, WINDOW, true)).isEqualTo(DebounceDecision.skipped());
		assertThat(debouncer().decide(key, WINDOW, true)).isEqualTo(DebounceDecision.skipped());
	}

	@Test
	void differentCallsDoNotInterfere() {
		String one = UUID.randomUUID().toString();
		String other = UUID.randomUUID().toString();
		assertThat(debouncer().decide(one, WINDOW, false).outcome()).isEqualTo(Outcome.NOW);
		assertThat(debouncer().decide(other, WINDOW, false).outcome()).isEqualTo(Outcome.NOW);
		assertThat(debouncer().decide(one, WINDOW, false).outcome()).isEqualTo(Outcome.DELAYED);
		assertThat(debouncer().decide(other, WINDOW, false).outcome()).isEqualTo(Outcome.DELAYED);
	}

	@Test
	void aWindowUnderAMillisecondIsRefused() {
		assertThatIllegalArgumentException().isThrownBy(() -> debouncer().decide("key", Duration.ZERO, false))
			.withMessageContaining("at least 1 ms");
	}

}
