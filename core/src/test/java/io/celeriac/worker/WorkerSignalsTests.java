package io.celeriac.worker;

import org.junit.jupiter.api.Test;
import sun.misc.Signal;
import sun.misc.SignalHandler;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link WorkerSignals}.
 *
 * @author Celeriac team
 */
class WorkerSignalsTests {

	@Test
	void stoppingWithoutASignalPutsThePreviousHandlerBack() {
		Signal term = new Signal("TERM");
		SignalHandler own = (signal) -> {
		};
		SignalHandler original = Signal.handle(term, own);
		try {
			WorkerSignals signals = new WorkerSignals();
			signals.start();
			assertThat(current(term)).isNotSameAs(own);
			signals.stop();
			assertThat(current(term)).isSameAs(own);
		}
		finally {
			Signal.handle(term, original);
		}
	}

	@Test
	void contextsStartedOneAfterAnotherDoNotChainHandlers() {
		Signal term = new Signal("TERM");
		SignalHandler own = (signal) -> {
		};
		SignalHandler original = Signal.handle(term, own);
		try {
			for (int i = 0; i < 3; i++) {
				WorkerSignals signals = new WorkerSignals();
				signals.start();
				signals.stop();
			}
			assertThat(current(term)).isSameAs(own);
		}
		finally {
			Signal.handle(term, original);
		}
	}

	private static SignalHandler current(Signal signal) {
		SignalHandler current = Signal.handle(signal, SignalHandler.SIG_DFL);
		Signal.handle(signal, current);
		return current;
	}

}
