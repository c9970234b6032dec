package io.celeriac.test.broker;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code rabbitmqctl} against the shared RabbitMQ node, for what only the broker can
 * tell or do: count a connection's channels, close a connection, manage a test's user.
 *
 * @author Celeriac team
 */
final class RabbitControl {

	private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(60);

	private RabbitControl() {
	}

	/**
	 * Runs {@code rabbitmqctl} with the given arguments.
	 * @param arguments the command and its arguments
	 * @return what it printed
	 * @throws IllegalStateException if it fails or takes over a minute
	 */
	static String run(String... arguments) {
		List<String> command = new ArrayList<>(List.of("rabbitmqctl"));
		command.addAll(List.of(arguments));
		try {
			Path output = Files.createTempFile("rabbitmqctl", ".out");
			try {
				Process process = new ProcessBuilder(command).redirectErrorStream(true)
					.redirectOutput(output.toFile())
					.start();
				if (!process.waitFor(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
					process.destroyForcibly();
					throw new IllegalStateException(String.join(" ", command) + " took over " + COMMAND_TIMEOUT);
				}
				String text = Files.readString(output, StandardCharsets.UTF_8);
				if (process.exitValue() != 0) {
					throw new IllegalStateException(
							String.join(" ", command) + " failed (" + process.exitValue() + "): " + text);
				}
				return text;
			}
			finally {
				Files.deleteIfExists(output);
			}
		}
		catch (IOException ex) {
			throw new IllegalStateException("Could not run rabbitmqctl", ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while running rabbitmqctl", ex);
		}
	}

}
