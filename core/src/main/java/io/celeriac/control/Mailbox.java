package io.celeriac.control;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;

/**
 * Carries remote control commands and their replies, as kombu's {@code Mailbox} does: a
 * command is broadcast to every worker's own mailbox queue, and each worker that takes it
 * replies to the sender's reply queue with {@code {hostname: reply}} and the command's
 * ticket. Each broker that supports remote control has its implementation.
 *
 * @author Celeriac team
 */
public interface Mailbox {

	/**
	 * Starts receiving the commands broadcast to workers, on the worker's own mailbox
	 * queue.
	 * @param hostname the worker's name, e.g. {@code celeriac@host}
	 * @param commands what runs for each command (every command, whatever its
	 * destination)
	 * @return the running listener; closing it stops receiving
	 */
	AutoCloseable listen(String hostname, Consumer<ControlMessage> commands);

	/**
	 * Sends a worker's reply to a command.
	 * @param replyTo where the command asked replies to go
	 * @param ticket the command's ticket
	 * @param reply {@code {hostname: payload}}
	 */
	void reply(ControlMessage.ReplyTo replyTo, String ticket, Map<String, @Nullable Object> reply);

	/**
	 * Broadcasts a command without collecting replies, as Celery's {@code cast}.
	 * @param command the command
	 */
	void cast(ControlMessage command);

	/**
	 * Broadcasts a command and collects the replies carrying its ticket, as Celery's
	 * {@code broadcast(reply=True)}: until the timeout passes, or the limit is reached.
	 * @param command the command, without ticket
	 * @param timeout how long replies are collected
	 * @param limit how many replies end the collection early, or {@code 0} for no limit
	 * @return each reply, {@code {hostname: payload}}, in the order received
	 */
	List<Map<String, @Nullable Object>> call(ControlMessage command, Duration timeout, int limit);

	/**
	 * Describes the broker for {@code inspect stats}, as Celery's {@code broker} entry:
	 * host, port, transport, never credentials.
	 * @return the description
	 */
	default Map<String, @Nullable Object> broker() {
		return Map.of();
	}

}
