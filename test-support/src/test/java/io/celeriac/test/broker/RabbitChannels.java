package io.celeriac.test.broker;

import java.util.List;

/**
 * Asks the shared RabbitMQ node, with {@code rabbitmqctl list_connections}, how many
 * channels a connection of this process has open and how many connections it has under a
 * name: what the broker itself counts, not what the client believes; and closes a
 * connection as an operator would.
 *
 * @author Celeriac team
 */
public final class RabbitChannels {

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

	/**
	 * Closes, as an operator would, the connections open under the given name.
	 * @param name the connection name
	 * @return how many were closed
	 */
	public static int closeConnectionsNamed(String name) {
		String wanted = "{\"connection_name\",\"" + name + "\"}";
		List<String> pids = RabbitControl
			.run("list_connections", "-q", "--no-table-headers", "pid", "client_properties")
			.lines()
			.filter((line) -> line.contains(wanted))
			.map((line) -> line.trim().split("\\s+")[0])
			.toList();
		pids.forEach((pid) -> RabbitControl.run("close_connection", pid, "closed by a test"));
		return pids.size();
	}

	private static String listConnections() {
		return listConnections("channels");
	}

	private static String listConnections(String column) {
		return RabbitControl.run("list_connections", "-q", "--no-table-headers", "peer_port", column);
	}

}
