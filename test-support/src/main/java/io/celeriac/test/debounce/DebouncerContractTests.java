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
 * skipped; different calls do not interfere; a decision taken back (its publish failed)
 * leaves the next call decided as if it had not been made. Each debouncer's test extends
 * it.
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
	void anUndoneFirstCallLetsTheNextOneRunNow() {
		String key = UUID.randomUUID().toString();
		DebounceDecision first = debouncer().decide(key, WINDOW, false);
		assertThat(first.outcome()).isEqualTo(Outcome.NOW);
		debouncer().undo(key, first);
		assertThat(debouncer().decide(key, WINDOW, false).outcome()).isEqualTo(Outcome.NOW);
		assertThat(debouncer().decide(key, WINDOW, false).outcome()).isEqualTo(Outcome.DELAYED);
	}

	@Test
	void anUndoneDelayedCallLetsTheNextOneBeDelayedRatherThanSkipped() {
		String key = UUID.randomUUID().toString();
		assertThat(debouncer().decide(key, WINDOW, false).outcome()).isEqualTo(Outcome.NOW);
		DebounceDecision delayed = debouncer().decide(key, WINDOW, false);
		assertThat(delayed.outcome()).isEqualTo(Outcome.DELAYED);
		debouncer().undo(key, delayed);
		assertThat(debouncer().decide(key, WINDOW, false).outcome()).isEqualTo(Outcome.DELAYED);
		assertThat(debouncer().decide(key, WINDOW, false).outcome()).isEqualTo(Outcome.SKIPPED);
	}

	@Test
	void anUndoneAlwaysDelayedCallLetsTheNextOneBeDelayed() {
		String key = UUID.randomUUID().toString();
		DebounceDecision first = debouncer().decide(key, WINDOW, true);
		debouncer().undo(key, first);
		assertThat(debouncer().decide(key, WINDOW, true)).isEqualTo(DebounceDecision.delayed(WINDOW));
	}

	@Test
	void undoingASkipOrAReplacedDecisionChangesNothing() {
		String key = UUID.randomUUID().toString();
		DebounceDecision first = debouncer().decide(key, WINDOW, false);
		DebounceDecision delayed = debouncer().decide(key, WINDOW, false);
		DebounceDecision skipped = debouncer().decide(key, WINDOW, false);
		debouncer().undo(key, skipped);
		// the first decision was replaced by the delayed one, which stays pending
		debouncer().undo(key, first);
		assertThat(delayed.outcome()).isEqualTo(Outcome.DELAYED);
		assertThat(debouncer().decide(key, WINDOW, false).outcome()).isEqualTo(Outcome.SKIPPED);
	}

	@Test
	void aWindowUnderAMillisecondIsRefused() {
		assertThatIllegalArgumentException().isThrownBy(() -> debouncer().decide("key", Duration.ZERO, false))
			.withMessageContaining("at least 1 ms");
	}

}
