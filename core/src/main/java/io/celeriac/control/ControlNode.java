package io.celeriac.control;

import java.util.LinkedHashMap;
import java.util.Map;

import io.celeriac.broker.TopologyDeclarer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.SmartLifecycle;

/**
 * A worker's end of the remote control, Celery's {@code Pidbox}: it listens on the
 * worker's own mailbox, runs each command addressed to it on the {@link ControlPanel},
 * and replies {@code {hostname: reply}} with the command's ticket when the sender asked
 * for replies. It starts after the worker and stops before it.
 *
 * @author Celeriac team
 */
public class ControlNode implements SmartLifecycle {

	private static final Logger logger = LoggerFactory.getLogger(ControlNode.class);

	private final Mailbox mailbox;

	private final ControlPanel panel;

	private final String hostname;

	private @Nullable AutoCloseable listener;

	/**
	 * Creates the node of a worker.
	 * @param mailbox the mailbox commands come from
	 * @param panel runs the commands
	 * @param hostname the worker's name, as Celery's {@code -n}: commands with a
	 * {@code destination} are taken only when it is named there
	 */
	public ControlNode(Mailbox mailbox, ControlPanel panel, String hostname) {
		this.mailbox = mailbox;
		this.panel = panel;
		this.hostname = hostname;
	}

	@Override
	public synchronized void start() {
		if (this.listener == null) {
			this.listener = this.mailbox.listen(this.hostname, this::handle);
			logger.info("Worker {} answers remote control commands", this.hostname);
		}
	}

	@Override
	public synchronized void stop() {
		if (this.listener != null) {
			try {
				this.listener.close();
			}
			catch (Exception ex) {
				logger.warn("Could not stop the control mailbox of {}: {}", this.hostname, ex.toString());
			}
			this.listener = null;
		}
	}

	@Override
	public synchronized boolean isRunning() {
		return this.listener != null;
	}

	@Override
	public int getPhase() {
		// after the worker (TaskWorker's phase), so that add_consumer finds it running
		return TopologyDeclarer.PHASE + 2048;
	}

	/**
	 * Handles one command: runs it if it is addressed to this worker and replies.
	 * @param command the command
	 */
	public void handle(ControlMessage command) {
		if (!command.isFor(this.hostname)) {
			return;
		}
		logger.debug("Control command {} {} [reply_to: {}, ticket: {}]", command.method(), command.arguments(),
				command.replyTo(), command.ticket());
		Object reply = this.panel.handle(command.method(), command.arguments());
		if (command.replyTo() == null || command.ticket() == null || reply == ControlPanel.NO_REPLY) {
			return;
		}
		Map<String, @Nullable Object> byNode = new LinkedHashMap<>();
		byNode.put(this.hostname, reply);
		try {
			this.mailbox.reply(command.replyTo(), command.ticket(), byNode);
		}
		catch (RuntimeException ex) {
			logger.warn("Could not reply to control command {}: {}", command.method(), ex.toString());
		}
	}

}
