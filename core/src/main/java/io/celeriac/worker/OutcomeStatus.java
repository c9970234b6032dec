package io.celeriac.worker;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * What a worker's outcome pipeline holds now, for health and metrics: the outcomes of
 * finished tasks that wait to be recorded (their messages are acknowledged only once they
 * are), and whether the worker stopped taking messages because the result store does not
 * answer.
 *
 * @param pending how many outcomes wait to be recorded and their messages acknowledged
 * @param bound how many may wait before the worker stops taking messages
 * ({@code celeriac.worker.pending-outcomes})
 * @param paused whether the worker takes no messages because the result store does not
 * answer
 * @param reason why the store does not answer, while paused
 * @param pausedSince since when, while paused
 * @author Celeriac team
 */
public record OutcomeStatus(int pending, int bound, boolean paused, @Nullable String reason,
		@Nullable Instant pausedSince) {

}
