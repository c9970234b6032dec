package io.celeriac.broker.rabbit;

import java.util.concurrent.TimeUnit;

import com.rabbitmq.client.Connection;
import org.jspecify.annotations.Nullable;

/**
 * Whether RabbitMQ blocks the publishing connection (a memory or disk alarm), from its
 * {@code connection.blocked} and {@code connection.unblocked} notifications, so that a
 * publish waits for the block to be lifted instead of writing into a connection RabbitMQ
 * does not read.
 *
 * @author Celeriac team
 */
final class ConnectionBlock {

	/**
	 * The connection whose notifications are followed; only the opener thread changes it.
	 */
	private volatile @Nullable Connection watched;

	/**
	 * Why RabbitMQ blocks the publishing connection, or {@code null} while it does not;
	 * changed under {@link #lock}, whose waiters it wakes.
	 */
	private volatile @Nullable String reason;

	private final Object lock = new Object();

	/**
	 * Waits until RabbitMQ no longer blocks the publishing connection, or the deadline.
	 * @param deadline the deadline, in {@link System#nanoTime()} terms
	 * @return why it still blocks it, or {@code null} if it does not
	 */
	@Nullable String awaitLifted(long deadline) {
		String blocked = this.reason;
		if (blocked == null) {
			return null;
		}
		synchronized (this.lock) {
			long remaining;
			while ((blocked = this.reason) != null && (remaining = deadline - System.nanoTime()) > 0) {
				try {
					TimeUnit.NANOSECONDS.timedWait(this.lock, remaining);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					return blocked;
				}
			}
			return blocked;
		}
	}

	/**
	 * Follows the notifications of the publishing connection; a new connection starts
	 * unblocked, and so does a lost one, so that the next publish connects again.
	 * @param connection the connection the publisher's channels are opened on
	 */
	void watch(Connection connection) {
		if (connection == this.watched) {
			return;
		}
		this.watched = connection;
		change(connection, null);
		connection.addBlockedListener((why) -> change(connection, why), () -> change(connection, null));
		connection.addShutdownListener((cause) -> change(connection, null));
	}

	private void change(Connection connection, @Nullable String why) {
		synchronized (this.lock) {
			// a late notification of a connection replaced since changes nothing
			if (connection == this.watched) {
				this.reason = why;
				this.lock.notifyAll();
			}
		}
	}

}
