package io.celeriac.debounce;

import java.time.Duration;

/**
 * Decides, for one call of a debounced task, whether to send it now, send it delayed to
 * the end of the window, or skip it. As the seed defines it: the first call in a window
 * runs now; the next one within the window is delayed to the window's end; further ones
 * are skipped while that delayed one is pending. With {@code alwaysDelay} the first call
 * is delayed by the whole window too. The decision is atomic across every producer that
 * shares the debouncer's store.
 *
 * @author Celeriac team
 */
public interface Debouncer {

	/**
	 * Decides what to do with one call.
	 * @param key identifies identical calls, e.g. a hash of the task name and arguments
	 * @param window the debounce window
	 * @param alwaysDelay whether the first call is delayed too
	 * @return the decision
	 */
	DebounceDecision decide(String key, Duration window, boolean alwaysDelay);

	/**
	 * Takes a decision back, for a call whose task could not be published: the next
	 * identical call is decided as if this one had not been made, rather than skipped or
	 * delayed for a task that was never sent. A decision that a later one has replaced,
	 * or a skip, is left as it is.
	 * @param key the key the decision was made for
	 * @param decision the decision
	 */
	void undo(String key, DebounceDecision decision);

}
