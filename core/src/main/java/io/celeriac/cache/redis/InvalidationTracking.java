package io.celeriac.cache.redis;

import java.net.SocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.StatefulRedisConnectionImpl;
import io.lettuce.core.TrackingArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.push.PushListener;
import io.lettuce.core.api.push.PushMessage;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.protocol.ProtocolVersion;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * A RESP3 connection of its own on which Redis reports every change to the keys of the
 * {@link NearCache near-cached} regions ({@code CLIENT TRACKING ON BCAST PREFIX ...}),
 * whoever makes it: a write, an expiry or eviction, an invalidation, a flush. Each report
 * drops what it makes out of date. The near cache is used only while tracking is on: a
 * lost connection turns it off (and clears it) at once, and it is turned on again only
 * once Redis has confirmed tracking on the reconnected connection. A connection that
 * cannot be opened is retried in the background, up to every 30 seconds.
 * <p>
 * A connection whose network silently went away (no reset, no close) would otherwise look
 * open for as long as TCP takes to notice, while the changes it no longer receives leave
 * the copies stale. So the connection is sent a {@code PING} at a fixed interval; one not
 * answered within the timeout turns the near cache off, and a new connection replaces it.
 *
 * @author Celeriac team
 */
final class InvalidationTracking implements PushListener, RedisConnectionStateListener, AutoCloseable {

	private static final Log logger = LogFactory.getLog(InvalidationTracking.class);

	private static final long FIRST_RETRY_MILLIS = 500;

	private static final long LONGEST_RETRY_MILLIS = 30_000;

	private final RedisClient client;

	private final NearCache nearCache;

	private final Duration pingTimeout;

	private final ScheduledExecutorService scheduler;

	private final Object lock = new Object();

	/**
	 * Advanced by every disconnection (guarded by {@link #lock}), so that a tracking
	 * confirmation from before it does not turn the near cache on.
	 */
	private long connectionEpoch;

	private @Nullable StatefulRedisConnection<String, String> connection;

	private long retryMillis = FIRST_RETRY_MILLIS;

	private volatile boolean closed;

	/**
	 * Creates tracking that connects in the background.
	 * @param client the Lettuce client of the store's connection factory
	 * @param nearCache the near cache it keeps coherent
	 * @param pingInterval how long the connection may go unchecked
	 * @param pingTimeout how long a {@code PING} may wait for its answer before the
	 * connection counts as lost
	 */
	InvalidationTracking(RedisClient client, NearCache nearCache, Duration pingInterval, Duration pingTimeout) {
		this.client = client;
		this.nearCache = nearCache;
		this.pingTimeout = pingTimeout;
		ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1, (task) -> {
			Thread thread = new Thread(task, "celeriac-cache-tracking");
			thread.setDaemon(true);
			return thread;
		});
		scheduler.setRemoveOnCancelPolicy(true);
		this.scheduler = scheduler;
		this.scheduler.execute(this::connect);
		this.scheduler.scheduleWithFixedDelay(this::ping, pingInterval.toMillis(), pingInterval.toMillis(),
				TimeUnit.MILLISECONDS);
	}

	private void connect() {
		if (this.closed) {
			return;
		}
		StatefulRedisConnection<String, String> opened = null;
		try {
			opened = this.client.connect(StringCodec.UTF8);
			if (opened instanceof StatefulRedisConnectionImpl<String, String> impl
					&& impl.getConnectionState().getNegotiatedProtocolVersion() != ProtocolVersion.RESP3) {
				opened.close();
				logger.warn("The Redis cache near cache is off: it needs RESP3 (Redis 6 or later, and Lettuce's "
						+ "protocol version not forced to RESP2)");
				return;
			}
			long epoch;
			synchronized (this.lock) {
				if (this.closed) {
					opened.close();
					return;
				}
				this.connection = opened;
				epoch = this.connectionEpoch;
			}
			// listening before tracking starts, so that no report is missed
			opened.addListener((PushListener) this);
			opened.addListener((RedisConnectionStateListener) this);
			track(opened, epoch);
		}
		catch (RuntimeException ex) {
			if (opened != null) {
				opened.closeAsync();
			}
			if (this.closed) {
				return;
			}
			long delay = this.retryMillis;
			this.retryMillis = Math.min(delay * 2, LONGEST_RETRY_MILLIS);
			logger.warn("Could not connect to Redis to track changes for the cache's near cache (trying again in "
					+ delay + " ms; meanwhile hits ask Redis): " + ex.getMessage());
			try {
				this.scheduler.schedule(this::connect, delay, TimeUnit.MILLISECONDS);
			}
			catch (RuntimeException rejected) {
				// closed meanwhile
			}
		}
	}

	/**
	 * Asks Redis to report changes on the (possibly just reconnected) connection, and
	 * turns the near cache on when it confirms, unless the connection was lost since.
	 */
	private void track(StatefulRedisConnection<String, String> connection, long epoch) {
		List<String> prefixes = this.nearCache.trackedPrefixes();
		connection.async()
			.clientTracking(TrackingArgs.Builder.enabled().bcast().prefixes(prefixes.toArray(String[]::new)))
			.whenComplete((reply, failure) -> {
				if (failure != null) {
					logger.warn("Redis refused to track changes for the cache's near cache; hits ask Redis: "
							+ failure.getMessage());
					return;
				}
				synchronized (this.lock) {
					if (epoch == this.connectionEpoch && !this.closed) {
						this.nearCache.tracking(true);
						this.retryMillis = FIRST_RETRY_MILLIS;
					}
				}
			});
	}

	/**
	 * Sends the connection a {@code PING} and waits for the answer, on the scheduler's
	 * only thread, so that checks and reconnections never overlap. Never throws: a
	 * periodic task that throws is not run again.
	 */
	private void ping() {
		StatefulRedisConnection<String, String> checked;
		synchronized (this.lock) {
			checked = this.connection;
		}
		if (checked == null || this.closed) {
			return;
		}
		try {
			checked.async().ping().get(this.pingTimeout.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		catch (ExecutionException | TimeoutException | RuntimeException ex) {
			replace(checked, (ex instanceof TimeoutException)
					? "no answer within " + this.pingTimeout.toMillis() + " ms" : String.valueOf(ex.getMessage()));
		}
	}

	/**
	 * Turns the near cache off, closes a connection that did not answer and opens a new
	 * one: Lettuce would not reconnect a connection it still believes open.
	 */
	private void replace(StatefulRedisConnection<String, String> lost, String reason) {
		synchronized (this.lock) {
			if (this.closed || this.connection != lost) {
				return;
			}
			this.connectionEpoch++;
			this.nearCache.tracking(false);
			this.connection = null;
		}
		logger.warn("The connection that tracks changes for the cache's near cache did not answer a PING (" + reason
				+ "); the near cache is off until Redis confirms tracking on a new connection");
		lost.closeAsync();
		connect();
	}

	@Override
	public void onPushMessage(PushMessage message) {
		if (!"invalidate".equals(message.getType())) {
			return;
		}
		List<Object> content = message.getContent(StringCodec.UTF8::decodeKey);
		Object keys = (content.size() > 1) ? content.get(1) : null;
		if (keys instanceof List<?> changed) {
			for (Object key : changed) {
				this.nearCache.changed((key != null) ? key.toString() : null);
			}
		}
		else {
			this.nearCache.changed(null);
		}
	}

	@Override
	public void onRedisDisconnected(RedisChannelHandler<?, ?> handler) {
		synchronized (this.lock) {
			// a replaced connection's late report must not turn its successor's off
			if (handler != this.connection) {
				return;
			}
			this.connectionEpoch++;
			this.nearCache.tracking(false);
		}
	}

	@Override
	public void onRedisConnected(RedisChannelHandler<?, ?> handler, SocketAddress address) {
		StatefulRedisConnection<String, String> current;
		long epoch;
		synchronized (this.lock) {
			current = this.connection;
			epoch = this.connectionEpoch;
		}
		// Lettuce reconnected: the new server connection tracks nothing yet
		if (current != null && current == handler && !this.closed) {
			track(current, epoch);
		}
	}

	/**
	 * Whether the near cache is in use: Redis confirmed tracking on the current
	 * connection.
	 * @return whether tracking is on
	 */
	boolean tracking() {
		return this.nearCache.tracking();
	}

	@Override
	public void close() {
		StatefulRedisConnection<String, String> open;
		synchronized (this.lock) {
			this.closed = true;
			this.connectionEpoch++;
			this.nearCache.tracking(false);
			open = this.connection;
			this.connection = null;
		}
		this.scheduler.shutdownNow();
		if (open != null) {
			open.close();
		}
	}

}
