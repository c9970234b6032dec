package io.celeriac.worker;

import java.util.concurrent.atomic.AtomicInteger;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;
import sun.misc.SignalHandler;

import org.springframework.context.SmartLifecycle;

/**
 * Makes a second SIGTERM (or SIGINT) stop the process at once, as a second Ctrl-C stops a
 * Celery worker: the first signal starts the JVM's orderly shutdown, in which the
 * {@link TaskWorker} lets its running tasks finish up to its shutdown timeout; a second
 * one, while that shutdown runs, halts the JVM without waiting. Nothing is lost either
 * way: the broker gives every unacknowledged message to another worker once the process's
 * connections are gone. The JVM alone would ignore the second signal.
 *
 * @author Celeriac team
 */
public class WorkerSignals implements SmartLifecycle {

	private static final Logger logger = LoggerFactory.getLogger(WorkerSignals.class);

	private final AtomicInteger received = new AtomicInteger();

	private volatile boolean running;

	@Override
	public void start() {
		for (String name : new String[] { "TERM", "INT" }) {
			install(name);
		}
		this.running = true;
	}

	private void install(String name) {
		try {
			Signal signal = new Signal(name);
			SignalHandler[] previous = new SignalHandler[1];
			previous[0] = Signal.handle(signal, (received) -> handle(received, previous[0]));
		}
		catch (IllegalArgumentException ex) {
			// this platform has no such signal, or the JVM uses it (-Xrs)
			logger.debug("Cannot handle SIG{}: {}", name, ex.getMessage());
		}
	}

	private void handle(Signal signal, @Nullable SignalHandler previous) {
		if (this.received.incrementAndGet() > 1) {
			logger.warn("Second SIG{}: stopping at once; the broker gives unacknowledged tasks to another worker",
					signal.getName());
			Runtime.getRuntime().halt(128 + signal.getNumber());
		}
		logger.info("SIG{}: stopping gracefully; send it again to stop at once", signal.getName());
		if (previous != null && previous != SignalHandler.SIG_DFL && previous != SignalHandler.SIG_IGN) {
			previous.handle(signal);
		}
		else {
			// JVM's own handler: the orderly shutdown that runs the shutdown hooks
			System.exit(128 + signal.getNumber());
		}
	}

	/**
	 * Leaves the handlers in place: the stop happens during the very shutdown that a
	 * second signal cuts short.
	 */
	@Override
	public void stop() {
		this.running = false;
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

}
