package io.celeriac.worker;

import java.util.LinkedHashMap;
import java.util.Map;
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
 * connections are gone. The JVM alone would ignore the second signal. Stopped without a
 * signal (a context closed while the JVM goes on, as in tests), it puts the previous
 * handlers back, so that contexts started one after another do not chain handlers.
 *
 * @author Celeriac team
 */
public class WorkerSignals implements SmartLifecycle {

	private static final Logger logger = LoggerFactory.getLogger(WorkerSignals.class);

	private final AtomicInteger received = new AtomicInteger();

	private final Map<Signal, Installed> installed = new LinkedHashMap<>();

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
			SignalHandler handler = (received) -> handle(received, previous[0]);
			previous[0] = Signal.handle(signal, handler);
			this.installed.put(signal, new Installed(handler, previous[0]));
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
	 * Leaves the handlers in place after a signal: the stop happens during the very
	 * shutdown that a second signal cuts short. Otherwise puts the previous handlers
	 * back, unless another handler was installed over this one since.
	 */
	@Override
	public void stop() {
		this.running = false;
		if (this.received.get() > 0) {
			return;
		}
		this.installed.forEach((signal, handlers) -> {
			SignalHandler current = Signal.handle(signal, handlers.previous());
			if (current != handlers.handler()) {
				Signal.handle(signal, current);
			}
		});
		this.installed.clear();
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	private record Installed(SignalHandler handler, SignalHandler previous) {

	}

}
