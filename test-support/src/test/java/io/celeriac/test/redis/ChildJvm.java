package io.celeriac.test.redis;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A second JVM running a test class's {@code main} on this test's class path, standing
 * for another process of the application. It talks over its standard input and output,
 * one line at a time.
 *
 * @author Celeriac team
 */
public final class ChildJvm implements AutoCloseable {

	private final Process process;

	private final BufferedReader output;

	private ChildJvm(Process process) {
		this.process = process;
		this.output = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
	}

	/**
	 * Launches {@code java -cp <this class path> mainClass arguments}.
	 * @param mainClass the class whose {@code main} runs
	 * @param arguments its arguments
	 * @return the running process
	 */
	public static ChildJvm launch(Class<?> mainClass, String... arguments) {
		List<String> command = new ArrayList<>();
		command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
		command.add("-cp");
		command.add(System.getProperty("java.class.path"));
		command.add(mainClass.getName());
		command.addAll(List.of(arguments));
		try {
			return new ChildJvm(new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start());
		}
		catch (IOException ex) {
			throw new IllegalStateException("Could not launch " + mainClass.getName(), ex);
		}
	}

	/**
	 * Waits for the child's next line of output.
	 * @param timeout how long to wait
	 * @return the line
	 */
	public String readLine(Duration timeout) {
		CompletableFuture<String> line = CompletableFuture.supplyAsync(() -> {
			try {
				String read = this.output.readLine();
				if (read == null) {
					throw new IllegalStateException("The child JVM ended without answering");
				}
				return read;
			}
			catch (IOException ex) {
				throw new IllegalStateException(ex);
			}
		});
		try {
			return line.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
		catch (ExecutionException | TimeoutException ex) {
			throw new IllegalStateException("No answer from the child JVM within " + timeout, ex);
		}
	}

	/**
	 * Sends the child a line on its standard input.
	 * @param line the line
	 */
	public void send(String line) {
		try {
			OutputStream input = this.process.getOutputStream();
			input.write((line + "\n").getBytes(StandardCharsets.UTF_8));
			input.flush();
		}
		catch (IOException ex) {
			throw new IllegalStateException("Could not write to the child JVM", ex);
		}
	}

	/**
	 * Kills the child at once, as SIGKILL does: no shutdown hook, no finally block runs.
	 */
	public void kill() {
		this.process.destroyForcibly();
		try {
			this.process.waitFor(30, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/**
	 * Returns whether the child is still running.
	 * @return whether it is alive
	 */
	public boolean isAlive() {
		return this.process.isAlive();
	}

	@Override
	public void close() {
		kill();
	}

}
