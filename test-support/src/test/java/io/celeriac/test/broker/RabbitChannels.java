package io.celeriac.test.broker;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Asks the shared RabbitMQ node, with {@code rabbitmqctl list_connections} (read only),
 * how many channels a connection of this process has open: what the broker itself counts,
 * not what the client believes.
 *
 * @author Celeriac team
 */
public final class RabbitChannels {

	private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(60);

	private RabbitChannels() {
	}

	/**
	 * Returns how many channels the broker has open on a connection of this process.
	 * @param clientPort the connection's local port
	 * @return the number of channels
	 * @throws IllegalStateException if {@code rabbitmqctl} fails or lists no such
	 * connection
	 */
	public static int openOn(int clientPort) {
		String output = listConnections();
		for (String line : output.split("\n")) {
			String[] columns = line.trim().split("\\s+");
			if (columns.length == 2 && columns[0].equals(String.valueOf(clientPort))) {
				return Integer.parseInt(columns[1]);
			}
		}
		throw new IllegalStateException("RabbitMQ lists no connection from port " + clientPort + ":\n" + output);
	}

	/**
	 * Returns how many connections the broker has open under the given name (the
	 * {@code connection_name} a client announces).
	 * @param name the connection name
	 * @return the number of connections
	 * @throws IllegalStateException if {@code rabbitmqctl} fails
	 */
	public static int connectionsNamed(String name) {
		String wanted = "{\"connection_name\",\"" + name + "\"}";
		return (int) listConnections("client_properties").lines().filter((line) -> line.contains(wanted)).count();
	}

	private static String listConnections() {
		return listConnections("channels");
	}

	private static String listConnections(String column) {
		try {
			Path output = Files.createTempFile("rabbitmqctl", ".out");
			try {
				Process process = new ProcessBuilder("rabbitmqctl", "list_connections", "-q", "--no-table-headers",
						"peer_port", column)
					.redirectErrorStream(true)
					.redirectOutput(output.toFile())
					.start();
				if (!process.waitFor(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
					process.destroyForcibly();
					throw new IllegalStateException("rabbitmqctl list_connections took over " + COMMAND_TIMEOUT);
				}
				String text = Files.readString(output, StandardCharsets.UTF_8);
				if (process.exitValue() != 0) {
					throw new IllegalStateException(
							"rabbitmqctl list_connections failed (" + process.exitValue() + "): " + text);
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
