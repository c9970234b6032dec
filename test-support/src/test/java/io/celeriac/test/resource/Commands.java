package io.celeriac.test.resource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a command line for a test (a server's control tool, a cluster's set-up) and
 * returns what it printed; its output goes to a file rather than a pipe, so that a
 * process it leaves running cannot hold the call.
 *
 * @author Celeriac team
 */
public final class Commands {

	private Commands() {
	}

	/**
	 * Runs a command and waits for it to end.
	 * @param timeout how long it may take
	 * @param command the command and its arguments
	 * @return what it printed, standard error included
	 * @throws IllegalStateException if it cannot start, takes longer than the timeout, or
	 * exits with a status other than 0
	 */
	public static String run(Duration timeout, List<String> command) {
		String line = String.join(" ", command);
		try {
			Path output = Files.createTempFile("celeriac-command", ".out");
			try {
				Process process = new ProcessBuilder(command).redirectErrorStream(true)
					.redirectOutput(output.toFile())
					.start();
				if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
					process.destroyForcibly();
					throw new IllegalStateException(line + " did not end within " + timeout);
				}
				String text = Files.readString(output, StandardCharsets.UTF_8);
				if (process.exitValue() != 0) {
					throw new IllegalStateException(line + " exited with " + process.exitValue() + ": " + text);
				}
				return text;
			}
			finally {
				Files.deleteIfExists(output);
			}
		}
		catch (IOException ex) {
			throw new IllegalStateException("Could not run " + line, ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while running " + line, ex);
		}
	}

}
