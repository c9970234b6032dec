package io.celeriac.worker;

import java.time.Duration;

import io.celeriac.broker.ConsumerBackoff;

/**
 * The worker's {@link ConsumerBackoff}.
 *
 * @author Celeriac team
 */
final class FailureBackoff extends ConsumerBackoff {

	FailureBackoff(Duration first, Duration cap) {
		super(first, cap);
	}

}
