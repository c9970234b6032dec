package io.celeriac.revoke;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;

/**
 * Where revoked task ids are kept, so that a worker started again still refuses them:
 * Celery keeps its worker's {@code revoked} set in the {@code --statedb} file. The store
 * is bounded as Celery's {@code LimitedSet} is: ids older than the {@link Limits#maxAge()
 * maximum age} are forgotten, and past the {@link Limits#maxCount() maximum count} the
 * oldest go first.
 *
 * @author Celeriac team
 */
public interface RevokedTaskStore {

	/**
	 * Records task ids as revoked. Revoking an id again moves its time forward.
	 * @param ids the task ids
	 * @param revokedAt when they were revoked
	 */
	void add(Collection<String> ids, Instant revokedAt);

	/**
	 * Tells whether a task id is revoked and not yet forgotten.
	 * @param id the task id
	 * @return {@code true} if it is revoked
	 */
	boolean contains(String id);

	/**
	 * Returns every revoked id not yet forgotten, with when it was revoked.
	 * @return the ids, at most {@link Limits#maxCount()} of them
	 */
	Map<String, Instant> revoked();

	/**
	 * How many revoked ids a store keeps, and for how long: Celery's worker keeps 50,000
	 * for three hours ({@code CELERY_WORKER_REVOKES_MAX},
	 * {@code CELERY_WORKER_REVOKE_EXPIRES}).
	 *
	 * @param maxCount the most ids kept; the oldest go first
	 * @param maxAge how long an id is kept after it was revoked
	 */
	record Limits(int maxCount, Duration maxAge) {

		/**
		 * Celery's limits: 50,000 ids for three hours.
		 */
		public static final Limits CELERY = new Limits(50_000, Duration.ofHours(3));

		public Limits {
			if (maxCount < 1) {
				throw new IllegalArgumentException(
						"A revoked task store keeps at least one id (celeriac.control.revoked.max-count), not "
								+ maxCount);
			}
			if (maxAge.isNegative() || maxAge.isZero()) {
				throw new IllegalArgumentException(
						"A revoked task store keeps its ids for a positive time (celeriac.control.revoked.max-age), not "
								+ maxAge);
			}
		}

	}

}
