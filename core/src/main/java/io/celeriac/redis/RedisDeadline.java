package io.celeriac.redis;

import java.time.Duration;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;

/**
 * The deadline of the Redis commands that the current thread sends, so that a lock or
 * limiter call waiting {@code timeout} is not held up by the (longer) command timeout of
 * the connection. It takes effect on clients configured by {@link RedisClientSettings},
 * whose timeout source reads it when a command is written; elsewhere it changes nothing.
 *
 * @author Celeriac team
 */
public final class RedisDeadline {

	/**
	 * The shortest time a command is given, so that the last attempt of a caller whose
	 * deadline has all but passed still reaches Redis.
	 */
	static final Duration FLOOR = Duration.ofMillis(50);

	private static final ThreadLocal<@Nullable Scope> CURRENT = new ThreadLocal<>();

	private RedisDeadline() {
	}

	/**
	 * Runs a call whose commands each fail after at most {@code limit} (or the command
	 * timeout, whichever is shorter; never less than 50 ms).
	 * @param <T> the call's result
	 * @param limit the caller's remaining time; zero or negative leaves the command
	 * timeout alone
	 * @param call the call
	 * @return what the call returned
	 */
	public static <T> T within(Duration limit, Supplier<T> call) {
		if (limit.isZero() || limit.isNegative()) {
			return call.get();
		}
		long nanos = Math.max(limit.toNanos(), FLOOR.toNanos());
		return run(new Scope(nanos, 0), call);
	}

	/**
	 * Runs a call that sends a blocking command (such as {@code BLPOP} with a timeout):
	 * its commands get the command timeout plus the time they block.
	 * @param <T> the call's result
	 * @param blocking how long the command may block in Redis
	 * @param call the call
	 * @return what the call returned
	 */
	public static <T> T blocking(Duration blocking, Supplier<T> call) {
		return run(new Scope(-1, Math.max(0, blocking.toNanos())), call);
	}

	/**
	 * Returns the timeout of a command the current thread writes now.
	 * @param commandTimeout the connection's command timeout
	 * @return the timeout in nanoseconds
	 */
	static long timeoutNanos(Duration commandTimeout) {
		long timeout = commandTimeout.toNanos();
		Scope scope = CURRENT.get();
		if (scope == null) {
			return timeout;
		}
		if (scope.limitNanos() > 0) {
			timeout = Math.min(timeout, scope.limitNanos());
		}
		return timeout + scope.blockingNanos();
	}

	private static <T> T run(Scope scope, Supplier<T> call) {
		Scope outer = CURRENT.get();
		CURRENT.set(scope);
		try {
			return call.get();
		}
		finally {
			CURRENT.set(outer);
		}
	}

	private record Scope(long limitNanos, long blockingNanos) {

	}

}
