package io.celeriac.test.broker;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Assumptions;

import static org.awaitility.Awaitility.await;

/**
 * A RabbitMQ node of a test's own, never the shared one on 5672: its own node name, AMQP
 * and distribution ports, data, log, configuration and home directory (so its own Erlang
 * cookie) and no plugins, so that a test can stop and start it ({@code stop_app},
 * {@code start_app}) without touching the shared server. The machine's configuration
 * ({@code /etc/rabbitmq}) is not read: it names the shared node and its port.
 *
 * @author Celeriac team
 */
final class RabbitNodeProcess implements AutoCloseable {

	private static final Path DEBIAN_SCRIPTS = Path.of("/usr/lib/rabbitmq/bin");

	private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(60);

	private final Path scripts;

	private final Path directory;

	private final String node;

	private final int port;

	private final Map<String, String> environment;

	private RabbitNodeProcess(Path scripts, Path directory, String node, int port, int distributionPort)
			throws IOException {
		this.scripts = scripts;
		this.directory = directory;
		this.node = node;
		this.port = port;
		Path home = Files.createDirectories(directory.resolve("home"));
		Path plugins = Files.writeString(directory.resolve("enabled_plugins"), "[].\n");
		Path envFile = Files.writeString(directory.resolve("rabbitmq-env.conf"), "");
		Path config = Files.writeString(directory.resolve("rabbitmq.conf"),
				"listeners.tcp.local = 127.0.0.1:" + port + "\n");
		this.environment = Map.ofEntries(Map.entry("HOME", home.toString()), Map.entry("RABBITMQ_NODENAME", node),
				Map.entry("RABBITMQ_NODE_IP_ADDRESS", "127.0.0.1"),
				Map.entry("RABBITMQ_NODE_PORT", String.valueOf(port)),
				Map.entry("RABBITMQ_DIST_PORT", String.valueOf(distributionPort)),
				Map.entry("RABBITMQ_MNESIA_BASE", Files.createDirectories(directory.resolve("mnesia")).toString()),
				Map.entry("RABBITMQ_LOG_BASE", Files.createDirectories(directory.resolve("log")).toString()),
				Map.entry("RABBITMQ_PID_FILE", directory.resolve("node.pid").toString()),
				Map.entry("RABBITMQ_ENABLED_PLUGINS_FILE", plugins.toString()),
				Map.entry("RABBITMQ_CONF_ENV_FILE", envFile.toString()),
				Map.entry("RABBITMQ_CONFIG_FILE", config.toString()),
				Map.entry("RABBITMQ_ADVANCED_CONFIG_FILE", directory.resolve("advanced.config").toString()),
				Map.entry("ERL_EPMD_ADDRESS", "127.0.0.1"));
	}

	/**
	 * Starts a node on free ports and waits until it accepts connections, or skips the
	 * test if the machine has no RabbitMQ server.
	 * @return the running node
	 */
	static RabbitNodeProcess start() {
		Path scripts = scripts();
		Assumptions.assumeTrue(scripts != null,
				"rabbitmq-server is not installed (apt-get install rabbitmq-server); skipping");
		Objects.requireNonNull(scripts);
		RabbitNodeProcess node;
		try {
			int port = freePort();
			Path directory = Files.createTempDirectory("celeriac-rabbit");
			node = new RabbitNodeProcess(scripts, directory, "celeriac-outage-" + port + "@localhost", port,
					freePort());
		}
		catch (IOException ex) {
			throw new IllegalStateException("Could not prepare a RabbitMQ node", ex);
		}
		node.run("rabbitmq-server", "-detached");
		// -detached returns before the node registers with epmd: ask until it answers
		await().atMost(Duration.ofSeconds(90))
			.pollInterval(Duration.ofMillis(500))
			.until(() -> node.tryCtl("await_startup", "--timeout", "30") == 0);
		return node;
	}

	int port() {
		return this.port;
	}

	String node() {
		return this.node;
	}

	/**
	 * Stops the RabbitMQ application (its listeners close, every connection is dropped)
	 * while the Erlang node stays up, as an operator's {@code stop_app} does.
	 */
	void stopApp() {
		ctl("stop_app");
	}

	/**
	 * Starts the RabbitMQ application again; durable queues and their persistent messages
	 * are back when it returns.
	 */
	void startApp() {
		ctl("start_app");
	}

	/**
	 * Sets the memory high watermark, as a fraction of the machine's memory: a tiny one
	 * raises the memory alarm at once, and RabbitMQ blocks every publishing connection
	 * until a normal one (0.4, the default) clears it.
	 * @param fraction the fraction
	 */
	void memoryHighWatermark(String fraction) {
		ctl("set_vm_memory_high_watermark", fraction);
	}

	/**
	 * Counts the channels open on the node, as {@code rabbitmqctl list_channels} lists
	 * them.
	 * @return the number of open channels
	 */
	int channels() {
		Result result = execute("rabbitmqctl", "-n", this.node, "-q", "list_channels", "--no-table-headers", "pid");
		if (result.exitCode() != 0) {
			throw new IllegalStateException(
					"rabbitmqctl list_channels failed (" + result.exitCode() + "): " + result.output());
		}
		return (int) result.output().lines().filter((line) -> !line.isBlank()).count();
	}

	@Override
	public void close() {
		try {
			if (tryCtl("stop") != 0) {
				killByPidFile();
			}
		}
		finally {
			try (var files = Files.walk(this.directory)) {
				files.sorted((a, b) -> b.compareTo(a)).forEach((file) -> file.toFile().delete());
			}
			catch (IOException ex) {
				// a temporary directory left behind
			}
		}
	}

	private void killByPidFile() {
		try {
			long pid = Long.parseLong(Files.readString(this.directory.resolve("node.pid")).trim());
			ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
		}
		catch (IOException | NumberFormatException ex) {
			// no pid written: the node never started
		}
	}

	private void ctl(String... arguments) {
		List<String> command = new ArrayList<>(List.of("-n", this.node));
		command.addAll(List.of(arguments));
		run("rabbitmqctl", command.toArray(String[]::new));
	}

	private int tryCtl(String... arguments) {
		List<String> command = new ArrayList<>(List.of("-n", this.node));
		command.addAll(List.of(arguments));
		return execute("rabbitmqctl", command.toArray(String[]::new)).exitCode();
	}

	private void run(String script, String... arguments) {
		Result result = execute(script, arguments);
		if (result.exitCode() != 0) {
			throw new IllegalStateException(script + " " + String.join(" ", arguments) + " failed (" + result.exitCode()
					+ "): " + result.output());
		}
	}

	private Result execute(String script, String... arguments) {
		List<String> command = new ArrayList<>();
		command.add(this.scripts.resolve(script).toString());
		command.addAll(List.of(arguments));
		// output to a file, not a pipe: a detached node keeps what it inherited open
		Path output = this.directory.resolve(script + ".out");
		ProcessBuilder builder = new ProcessBuilder(command).directory(this.directory.toFile())
			.redirectErrorStream(true)
			.redirectOutput(output.toFile());
		builder.environment().putAll(this.environment);
		try {
			Process process = builder.start();
			if (!process.waitFor(COMMAND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
				process.destroyForcibly();
				return new Result(-1, script + " did not finish within " + COMMAND_TIMEOUT);
			}
			return new Result(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
		}
		catch (IOException ex) {
			throw new IllegalStateException("Could not run " + command, ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while running " + command, ex);
		}
	}

	/**
	 * The folder of the server's own scripts: Debian's {@code /usr/sbin} wrappers switch
	 * to the rabbitmq user and its home, which would share the shared node's cookie and
	 * logs, so the scripts behind them are run directly.
	 */
	private static @Nullable Path scripts() {
		if (Files.isExecutable(DEBIAN_SCRIPTS.resolve("rabbitmq-server"))) {
			return DEBIAN_SCRIPTS;
		}
		String path = System.getenv("PATH");
		if (path == null) {
			return null;
		}
		for (String folder : path.split(java.io.File.pathSeparator)) {
			Path candidate = Path.of(folder);
			if (Files.isExecutable(candidate.resolve("rabbitmq-server"))
					&& Files.isExecutable(candidate.resolve("rabbitmqctl"))) {
				return candidate;
			}
		}
		return null;
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

	private record Result(int exitCode, String output) {

	}

}
