package io.celeriac.autoconfigure.compatibility;

/**
 * The Celery fleets whose defaults {@code celeriac.compatibility} can apply.
 *
 * @author Celeriac team
 */
public enum Compatibility {

	/**
	 * cadasta-workertoolbox's {@code Config}: SQS in us-west-2, {@code QUEUE_PREFIX} as
	 * the SQS queue-name prefix, the result DB from {@code RESULT_DB_*}, a topic exchange
	 * {@code task_exchange} with the {@code platform.fifo} monitor queue,
	 * {@code task_track_started} and {@code CHORD_UNLOCK_MAX_RETRIES}.
	 */
	CADASTA

}
