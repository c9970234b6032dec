package io.celeriac.autoconfigure.compatibility;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Which existing Celery fleet's defaults apply ({@code celeriac.compatibility}). The
 * defaults themselves are added to the environment by
 * {@link CompatibilityEnvironmentPostProcessor}; binding here checks the value.
 *
 * @author Celeriac team
 */
@ConfigurationProperties("celeriac")
public class CompatibilityProperties {

	/**
	 * Celery fleet whose defaults to apply, below every property the application sets:
	 * 'cadasta' for cadasta-workertoolbox's (SQS in us-west-2, QUEUE_PREFIX as the SQS
	 * queue-name prefix, the result DB from RESULT_DB_USER, _PASS, _HOST, _PORT and
	 * _NAME, track-started, CHORD_UNLOCK_MAX_RETRIES). When unset: none.
	 */
	private @Nullable Compatibility compatibility;

	public @Nullable Compatibility getCompatibility() {
		return this.compatibility;
	}

	public void setCompatibility(@Nullable Compatibility compatibility) {
		this.compatibility = compatibility;
	}

}
