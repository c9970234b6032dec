package io.celeriac.test.broker;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.celeriac.test.resource.Commands;

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
		return Commands.run(COMMAND_TIMEOUT, command);
	}

}
