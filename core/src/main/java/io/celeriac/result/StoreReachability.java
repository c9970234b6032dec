package io.celeriac.result;

import java.net.ConnectException;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether a result store can be reached, as its last call found out. After a connection
 * failure the store counts as unreachable until a back-off has passed (250 ms, doubling
 * up to 5 s while failures go on), so that callers fail at once with a
 * {@link ResultStoreUnavailableException} instead of each waiting for a connection that
 * will not come; the first call after the back-off tries the store again.
 *
 * @author Celeriac team
 */
final class StoreReachability {

	private static final Duration FIRST_BACK_OFF = Duration.ofMillis(250);

	private static final Duration MAX_BACK_OFF = Duration.ofSeconds(5);

	private static final Logger logger = LoggerFactory.getLogger(StoreReachability.class);

	private final Clock clock;

	private volatile @Nullable Outage outage;

	StoreReachability(Clock clock) {
		this.clock = clock;
	}

	/**
	 * Tells whether callers should fail without trying the store.
	 * @return whether a connection failed and the back-off has not passed
	 */
	boolean isBackingOff() {
		Outage outage = this.outage;
		return outage != null && this.clock.instant().isBefore(outage.retryAt());
	}

	/**
	 * Fails while backing off.
	 * @param what what was not done, e.g. {@code The result of 42 was not recorded}
	 * @throws ResultStoreUnavailableException while backing off
	 */
	void failIfBackingOff(String what) {
		Outage outage = this.outage;
		if (outage != null && this.clock.instant().isBefore(outage.retryAt())) {
			throw new ResultStoreUnavailableException(what + ": " + describe(outage), outage.cause());
		}
	}

	/**
	 * Fails while the store is known to be unreachable, back-off or not.
	 * @param what what was not done, e.g. {@code The result of 42 was not read}
	 * @throws ResultStoreUnavailableException while a connection failure is the last
	 * thing known of the store
	 */
	void failIfUnreachable(String what) {
		Outage outage = this.outage;
		if (outage != null) {
			throw new ResultStoreUnavailableException(what + ": " + describe(outage), outage.cause());
		}
	}

	/**
	 * Returns an exception for a call that failed, telling whether the store is
	 * unreachable; a connection failure starts or extends the back-off.
	 * @param what what was not done
	 * @param failure how the call failed
	 * @return a {@link ResultStoreUnavailableException} for a connection failure, the
	 * failure itself otherwise
	 */
	RuntimeException failed(String what, RuntimeException failure) {
		if (!isConnectionFailure(failure)) {
			return failure;
		}
		return new ResultStoreUnavailableException(what + ": " + describe(unreachable(failure)), failure);
	}

	/**
	 * Records a connection failure: the back-off starts, or doubles.
	 * @param cause the failure
	 * @return the outage now
	 */
	synchronized Outage unreachable(Throwable cause) {
		Instant now = this.clock.instant();
		Outage previous = this.outage;
		Duration backOff = (previous != null) ? min(previous.backOff().multipliedBy(2), MAX_BACK_OFF) : FIRST_BACK_OFF;
		Outage outage = new Outage((previous != null) ? previous.since() : now, now.plus(backOff), backOff, cause);
		this.outage = outage;
		return outage;
	}

	/**
	 * Records that a call reached the store.
	 */
	void reachable() {
		Outage outage = this.outage;
		if (outage != null) {
			logger.info("The result store is reachable again (unreachable since {})", outage.since());
			this.outage = null;
		}
	}

	/**
	 * Returns since when the store cannot be reached.
	 * @return the time of the first failure of this outage, or {@code null} while it can
	 */
	@Nullable Instant unreachableSince() {
		Outage outage = this.outage;
		return (outage != null) ? outage.since() : null;
	}

	/**
	 * Says whether the store is reachable, for exception messages.
	 * @return e.g. {@code the result store is unreachable since ...}
	 */
	String describe() {
		return describe(this.outage);
	}

	private static String describe(@Nullable Outage outage) {
		// one snapshot of the outage: another thread may end it meanwhile
		if (outage != null) {
			return "the result store is unreachable since " + outage.since() + " (" + describe(outage.cause())
					+ "); the next attempt is at " + outage.retryAt();
		}
		return "is the result store reachable?";
	}

	/**
	 * Describes a failure with its root cause.
	 * @param ex the failure
	 * @return its class and message, and its root cause's
	 */
	static String describe(Throwable ex) {
		Throwable root = ex;
		while (root.getCause() != null && root.getCause() != root) {
			root = root.getCause();
		}
		return text(ex) + ((root != ex) ? " (caused by " + text(root) + ")" : "");
	}

	/**
	 * Tells whether a failure means the store cannot be reached (no connection), rather
	 * than that one of the rows is refused.
	 * @param ex the failure
	 * @return whether it is a connection failure
	 */
	static boolean isConnectionFailure(Throwable ex) {
		for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
			if (isResourceFailure(cause.getClass()) || cause instanceof SQLTransientConnectionException
					|| cause instanceof SQLNonTransientConnectionException || cause instanceof ConnectException
					|| (cause instanceof SQLException sql && isConnectionState(sql.getSQLState()))) {
				return true;
			}
			if (cause.getCause() == cause) {
				break;
			}
		}
		return false;
	}

	private static boolean isConnectionState(@Nullable String state) {
		// class 08: connection exception; 57P01-57P03: the server is shutting down,
		// crashed, or cannot take connections now (a session ended by a stop)
		return state != null && (state.startsWith("08") || state.startsWith("57P0"));
	}

	private static boolean isResourceFailure(Class<?> type) {
		// by name: Spring's DAO exceptions are on the class path only with a JDBC or
		// Redis store
		for (Class<?> candidate = type; candidate != null; candidate = candidate.getSuperclass()) {
			if (candidate.getName().equals("org.springframework.dao.DataAccessResourceFailureException")) {
				return true;
			}
		}
		return false;
	}

	private static String text(Throwable ex) {
		return ex.getClass().getName() + ((ex.getMessage() != null) ? ": " + ex.getMessage() : "");
	}

	private static Duration min(Duration a, Duration b) {
		return (a.compareTo(b) <= 0) ? a : b;
	}

	/**
	 * An outage of the store.
	 *
	 * @param since the first connection failure
	 * @param retryAt when the next call tries the store
	 * @param backOff the current back-off
	 * @param cause the last connection failure
	 */
	record Outage(Instant since, Instant retryAt, Duration backOff, Throwable cause) {

	}

}
