package io.celeriac.protocol;

import org.jspecify.annotations.Nullable;

/**
 * Celery's {@code timelimit} header: the hard and the soft time limit in seconds, each
 * possibly unset.
 *
 * @param hard the hard limit, or {@code null}
 * @param soft the soft limit, or {@code null}
 * @author Celeriac team
 */
public record TimeLimit(@Nullable Number hard, @Nullable Number soft) {

	/**
	 * No time limit, as Celery sends by default ({@code [null, null]}).
	 */
	public static final TimeLimit NONE = new TimeLimit(null, null);

}
