package io.celeriac.test.celery;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.Optional;

import io.celeriac.test.process.ChildProcess;

import static org.awaitility.Awaitility.await;

/**
 * A running Python Celery worker ({@code celery worker --pool solo}) of the app that
 * {@link PythonCelery} provides. Its tasks {@code pyservice.multiply(x, y)} and
 * {@code pyservice.sleep(seconds)} record each run in a file that {@link #runs()} reads.
 * Closing stops it (warm shutdown, then SIGKILL) and removes the record file.
 *
 * @author Celeriac team
 */
public final class PythonCeleryWorker implements AutoCloseable {

	private static final Duration STOP_GRACE = Duration.ofSeconds(15);

	private final ChildProcess process;

	private final Path records;

	private final CeleryTopology topology;

	PythonCeleryWorker(ChildProcess process, Path records, CeleryTopology topology) {
		this.process = process;
		this.records = records;
		this.topology = topology;
	}

	/**
	 * Returns the topology the worker was started with.
	 * @return the topology
	 */
	public CeleryTopology topology() {
		return this.topology;
	}

	/**
	 * Returns the worker's name (Celery's {@code -n}, e.g.
	 * {@code interop-1a2b3c4d@host}), as its startup banner gives it.
	 * @return the name
	 * @throws IllegalStateException if the banner did not name it
	 */
	public String hostname() {
		Pattern banner = Pattern.compile("(interop-[0-9a-f]{8}@\\S+) v\\d");
		for (String line : this.process.output()) {
			Matcher matcher = banner.matcher(line);
			if (matcher.find()) {
				return matcher.group(1);
			}
		}
		throw new IllegalStateException("The worker's banner names no worker: " + this.process.output());
	}

	/**
	 * Returns the worker process, e.g. to wait for a log line.
	 * @return the process
	 */
	public ChildProcess process() {
		return this.process;
	}

	/**
	 * Returns the worker's log so far.
	 * @return the lines
	 */
	public List<String> output() {
		return this.process.output();
	}

	/**
	 * Returns every task run recorded so far, oldest first.
	 * @return the runs
	 */
	public List<TaskRun> runs() {
		if (!Files.exists(this.records)) {
			return List.of();
		}
		try {
			// a line is complete once its newline is written
			String content = Files.readString(this.records, StandardCharsets.UTF_8);
			int end = content.lastIndexOf('\n');
			return (end < 0) ? List.of() : content.substring(0, end).lines().map(TaskRun::parse).toList();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not read " + this.records, ex);
		}
	}

	/**
	 * Returns the first recorded run of a task id, if any.
	 * @param taskId the task id
	 * @return the run
	 */
	public Optional<TaskRun> run(String taskId) {
		return runs().stream().filter((run) -> run.id().equals(taskId)).findFirst();
	}

	/**
	 * Waits until a run of the task id is recorded.
	 * @param taskId the task id
	 * @param timeout how long to wait at most
	 * @return the first run of it
	 * @throws org.awaitility.core.ConditionTimeoutException if none is recorded in time
	 */
	public TaskRun awaitRun(String taskId, Duration timeout) {
		return await("a run of task " + taskId + " in the Python worker").atMost(timeout)
			.pollInterval(Duration.ofMillis(50))
			.until(() -> run(taskId), Optional::isPresent)
			.orElseThrow();
	}

	/**
	 * Stops the worker with a warm shutdown (SIGTERM), killing it if it takes longer than
	 * 15 seconds.
	 * @return the exit code
	 */
	public int stop() {
		return this.process.stop(STOP_GRACE);
	}

	/**
	 * Kills the worker with SIGKILL.
	 * @return the exit code
	 */
	public int kill() {
		return this.process.kill();
	}

	@Override
	public void close() {
		try {
			this.process.close();
		}
		finally {
			try {
				Files.deleteIfExists(this.records);
			}
			catch (IOException ex) {
				// a temporary file; nothing depends on it any more
			}
		}
	}

	@Override
	public String toString() {
		return "PythonCeleryWorker[pid " + this.process.pid() + ", " + this.topology.queueNamePrefix() + "]";
	}

}
