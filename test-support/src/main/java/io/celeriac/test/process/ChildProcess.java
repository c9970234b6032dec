package io.celeriac.test.process;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A process started for a test, with its standard output and standard error captured line
 * by line so that a test can wait, with a deadline, for a line that says the process got
 * somewhere ("ready.", "task started"). {@link #kill()} ends it with SIGKILL, as a crash
 * would; {@link #stop(Duration)} asks it to stop with SIGTERM first. Closing stops it.
 *
 * @author Celeriac team
 */
public final class ChildProcess implements AutoCloseable {

	private static final int TAIL_LINES = 40;

	private static final Duration CLOSE_GRACE = Duration.ofSeconds(15);

	private final String name;

	private final Process process;

	private final List<String> lines = new ArrayList<>();

	private boolean outputEnded;

	private ChildProcess(String name, Process process) {
		this.name = name;
		this.process = process;
		Thread reader = new Thread(this::readOutput, "output of " + name);
		reader.setDaemon(true);
		reader.start();
	}

	/**
	 * Starts a process, merging its standard error into its standard output.
	 * @param name a name for messages and thread names, e.g. {@code python-worker}
	 * @param builder the command, directory and environment of the process
	 * @return the running process
	 * @throws UncheckedIOException if the process cannot be started
	 */
	public static ChildProcess start(String name, ProcessBuilder builder) {
		builder.redirectErrorStream(true);
		try {
			return new ChildProcess(name, builder.start());
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not start " + name + ": " + builder.command(), ex);
		}
	}

	/**
	 * Returns the name given at start.
	 * @return the name
	 */
	public String name() {
		return this.name;
	}

	/**
	 * Returns the operating system's id of the process.
	 * @return the pid
	 */
	public long pid() {
		return this.process.pid();
	}

	/**
	 * Returns whether the process is still running.
	 * @return {@code true} while it runs
	 */
	public boolean isAlive() {
		return this.process.isAlive();
	}

	/**
	 * Returns every line the process has printed so far (standard output and error).
	 * @return a copy of the lines
	 */
	public List<String> output() {
		synchronized (this.lines) {
			return List.copyOf(this.lines);
		}
	}

	/**
	 * Waits until the process has printed a line containing the given text.
	 * @param fragment the text to look for
	 * @param timeout how long to wait at most
	 * @return the first such line
	 * @throws IllegalStateException if the process ends or the time runs out first; the
	 * message shows the last lines of output
	 */
	public String awaitLine(String fragment, Duration timeout) {
		return awaitLine((line) -> line.contains(fragment), "a line containing '" + fragment + "'", timeout);
	}

	/**
	 * Waits until the process has printed a line that matches a condition.
	 * @param condition the condition
	 * @param description what the condition looks for, for the failure message
	 * @param timeout how long to wait at most
	 * @return the first matching line
	 * @throws IllegalStateException if the process ends or the time runs out first; the
	 * message shows the last lines of output
	 */
	public String awaitLine(Predicate<String> condition, String description, Duration timeout) {
		long deadline = System.nanoTime() + timeout.toNanos();
		synchronized (this.lines) {
			int checked = 0;
			while (true) {
				for (; checked < this.lines.size(); checked++) {
					String line = this.lines.get(checked);
					if (condition.test(line)) {
						return line;
					}
				}
				if (this.outputEnded) {
					throw new IllegalStateException(this.name + " ended without printing " + description
							+ exitDescription() + "; its last output:\n" + tail());
				}
				long remaining = deadline - System.nanoTime();
				if (remaining <= 0) {
					throw new IllegalStateException(this.name + " did not print " + description + " within " + timeout
							+ "; its last output:\n" + tail());
				}
				try {
					TimeUnit.NANOSECONDS.timedWait(this.lines, remaining);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					throw new IllegalStateException("Interrupted while waiting for " + this.name, ex);
				}
			}
		}
	}

	/**
	 * Waits for the process to end by itself.
	 * @param timeout how long to wait at most
	 * @return the exit code
	 * @throws IllegalStateException if it still runs when the time runs out
	 */
	public int awaitExit(Duration timeout) {
		try {
			if (!this.process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
				throw new IllegalStateException(
						this.name + " still runs after " + timeout + "; its last output:\n" + tail());
			}
			awaitOutputEnd(Duration.ofSeconds(5));
			return this.process.exitValue();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while waiting for " + this.name, ex);
		}
	}

	/**
	 * Ends the process at once with SIGKILL ({@link ProcessHandle#destroyForcibly()}), as
	 * a crash or the OOM killer would: no shutdown hook or signal handler runs. Returns
	 * once it is gone.
	 * @return the exit code (137 on Linux)
	 */
	public int kill() {
		// through the handle: Process.destroyForcibly() would also close the output
		// stream
		// and lose what the process printed last
		this.process.toHandle().destroyForcibly();
		return awaitExit(Duration.ofSeconds(30));
	}

	/**
	 * Asks the process to stop with SIGTERM ({@link ProcessHandle#destroy()}) and kills
	 * it if it has not ended within the grace period.
	 * @param grace how long it may take to stop
	 * @return the exit code
	 */
	public int stop(Duration grace) {
		if (!this.process.isAlive()) {
			return awaitExit(Duration.ofSeconds(5));
		}
		this.process.toHandle().destroy();
		try {
			if (this.process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
				return awaitExit(Duration.ofSeconds(5));
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		return kill();
	}

	/**
	 * Stops the process (SIGTERM, then SIGKILL after 15 seconds) if it still runs, and
	 * kills any process it started that outlived it.
	 */
	@Override
	public void close() {
		List<ProcessHandle> descendants = this.process.descendants().toList();
		stop(CLOSE_GRACE);
		descendants.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
	}

	private void readOutput() {
		try (BufferedReader reader = new BufferedReader(
				new InputStreamReader(this.process.getInputStream(), StandardCharsets.UTF_8))) {
			String line;
			while ((line = reader.readLine()) != null) {
				synchronized (this.lines) {
					this.lines.add(line);
					this.lines.notifyAll();
				}
			}
		}
		catch (IOException ex) {
			// the stream closes when the process is killed; what was read is kept
		}
		finally {
			synchronized (this.lines) {
				this.outputEnded = true;
				this.lines.notifyAll();
			}
		}
	}

	private void awaitOutputEnd(Duration timeout) throws InterruptedException {
		long deadline = System.nanoTime() + timeout.toNanos();
		synchronized (this.lines) {
			while (!this.outputEnded) {
				long remaining = deadline - System.nanoTime();
				if (remaining <= 0) {
					// a grandchild may hold the stream open; the process itself has ended
					return;
				}
				TimeUnit.NANOSECONDS.timedWait(this.lines, remaining);
			}
		}
	}

	private String exitDescription() {
		try {
			// the output may end a moment before the exit is known
			if (this.process.waitFor(2, TimeUnit.SECONDS)) {
				return " (exit code " + this.process.exitValue() + ")";
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		return "";
	}

	private String tail() {
		synchronized (this.lines) {
			return String.join("\n",
					this.lines.subList(Math.max(0, this.lines.size() - TAIL_LINES), this.lines.size()));
		}
	}

	@Override
	public String toString() {
		return "ChildProcess[" + this.name + ", pid " + this.process.pid() + "]";
	}

}
