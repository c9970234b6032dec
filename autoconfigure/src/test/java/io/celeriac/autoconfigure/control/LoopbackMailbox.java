package io.celeriac.autoconfigure.control;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import io.celeriac.control.ControlMessage;
import io.celeriac.control.Mailbox;
import org.jspecify.annotations.Nullable;

/**
 * A {@link Mailbox} inside one JVM, for tests of what a worker answers: a command is
 * handed to every listener at once, on the caller's thread, and the replies are those the
 * listeners sent while handling it.
 *
 * @author Celeriac team
 */
class LoopbackMailbox implements Mailbox {

	private final List<Consumer<ControlMessage>> listeners = new CopyOnWriteArrayList<>();

	private final List<Map<String, @Nullable Object>> replies = new CopyOnWriteArrayList<>();

	@Override
	public AutoCloseable listen(String hostname, Consumer<ControlMessage> commands) {
		this.listeners.add(commands);
		return () -> this.listeners.remove(commands);
	}

	@Override
	public void reply(ControlMessage.ReplyTo replyTo, String ticket, Map<String, @Nullable Object> reply) {
		this.replies.add(reply);
	}

	@Override
	public void cast(ControlMessage command) {
		this.listeners.forEach((listener) -> listener.accept(command));
	}

	@Override
	public synchronized List<Map<String, @Nullable Object>> call(ControlMessage command, Duration timeout, int limit) {
		this.replies.clear();
		ControlMessage withReply = command.withReply(new ControlMessage.ReplyTo("reply.test.pidbox", "me"),
				UUID.randomUUID().toString());
		this.listeners.forEach((listener) -> listener.accept(withReply));
		return new ArrayList<>(this.replies);
	}

}
