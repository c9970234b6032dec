package io.celeriac.test.result;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;

import io.celeriac.test.resource.Commands;
import org.junit.jupiter.api.Assumptions;

/**
 * A PostgreSQL cluster of a test's own, made with Debian's {@code pg_createcluster} on a
 * free loopback port and trusting every connection from 127.0.0.1, so that a test can
 * stop and start its database without touching the shared cluster on port 5432. The
 * cluster is dropped on {@link #close()}. The Debian tools switch to the {@code postgres}
 * user themselves when run as root.
 *
 * @author Celeriac team
 */
final class PostgresClusterProcess implements AutoCloseable {

	private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(60);

	private final String version;

	private final String name;

	private final int port;

	private PostgresClusterProcess(String version, String name, int port) {
		this.version = version;
		this.name = name;
		this.port = port;
	}

	/**
	 * Creates and starts a cluster, or skips the test where Debian's PostgreSQL cluster
	 * tools or a server are not installed.
	 * @return the running cluster
	 */
	static PostgresClusterProcess create() {
		Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/pg_createcluster")),
				"pg_createcluster is not installed (Debian's postgresql-common); skipping the test that stops a "
						+ "PostgreSQL cluster of its own");
		String version = installedVersion();
		String name = "celeriac_" + UUID.randomUUID().toString().substring(0, 8);
		PostgresClusterProcess cluster = new PostgresClusterProcess(version, name, freePort());
		try {
			cluster.run("pg_createcluster", version, name, "--port", Integer.toString(cluster.port), "--start-conf",
					"manual", "--", "--auth-local", "trust", "--auth-host", "trust");
			cluster.trustLoopback();
			cluster.start();
			return cluster;
		}
		catch (RuntimeException ex) {
			cluster.close();
			throw ex;
		}
	}

	/**
	 * Returns the JDBC URL of the cluster's {@code postgres} database.
	 * @return the URL
	 */
	String jdbcUrl() {
		return "jdbc:postgresql://127.0.0.1:" + this.port + "/postgres";
	}

	/**
	 * Returns the user to log in as (trusted, no password).
	 * @return {@code postgres}
	 */
	String username() {
		return "postgres";
	}

	int port() {
		return this.port;
	}

	/**
	 * Starts the cluster and waits until it accepts connections.
	 */
	void start() {
		run("pg_ctlcluster", this.version, this.name, "start");
	}

	/**
	 * Stops the cluster at once (fast mode: open sessions are ended, nothing waits for
	 * them).
	 */
	void stop() {
		run("pg_ctlcluster", "--mode", "fast", this.version, this.name, "stop");
	}

	@Override
	public void close() {
		try {
			run("pg_dropcluster", "--stop", this.version, this.name);
		}
		catch (RuntimeException ex) {
			System.err.println("Could not drop PostgreSQL cluster " + this.version + "/" + this.name + ": " + ex);
		}
	}

	private void trustLoopback() {
		// pg_createcluster's --auth-host covers it already; stated again so that a
		// cluster made with other defaults still lets the test in
		Path hba = Path.of("/etc/postgresql", this.version, this.name, "pg_hba.conf");
		try {
			String rules = Files.readString(hba, StandardCharsets.UTF_8);
			Files.writeString(hba, "host all all 127.0.0.1/32 trust\n" + rules, StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new IllegalStateException("Could not write " + hba, ex);
		}
	}

	private void run(String... command) {
		Commands.run(COMMAND_TIMEOUT, List.of(command));
	}

	private static String installedVersion() {
		Path versions = Path.of("/usr/lib/postgresql");
		List<String> installed = new ArrayList<>();
		if (Files.isDirectory(versions)) {
			try (Stream<Path> entries = Files.list(versions)) {
				entries.filter((entry) -> Files.isExecutable(entry.resolve("bin/postgres")))
					.map((entry) -> entry.getFileName().toString())
					.forEach(installed::add);
			}
			catch (IOException ex) {
				throw new IllegalStateException("Could not list " + versions, ex);
			}
		}
		Assumptions.assumeFalse(installed.isEmpty(),
				"No PostgreSQL server under /usr/lib/postgresql (apt-get install postgresql); skipping");
		return installed.stream().max(Comparator.comparingInt(PostgresClusterProcess::major)).orElseThrow();
	}

	private static int major(String version) {
		try {
			return Integer.parseInt(version.split("\\.")[0]);
		}
		catch (NumberFormatException ex) {
			return 0;
		}
	}

	private static int freePort() {
		for (int attempt = 0; attempt < 100; attempt++) {
			// below the ephemeral range (32768 up on Linux): while the cluster is
			// stopped, no
			// outgoing connection may take its port; apart from RedisServerProcess's
			// ports
			int port = ThreadLocalRandom.current().nextInt(15000, 20000);
			try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
				socket.setReuseAddress(true);
				return port;
			}
			catch (IOException ex) {
				// taken: try another
			}
		}
		throw new IllegalStateException("No free loopback port found");
	}

}
