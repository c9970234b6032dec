package io.celeriac.test.redis;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import io.celeriac.redis.RedisClientSettings;
import io.celeriac.test.resource.OwnedResources;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import org.junit.jupiter.api.Assumptions;

import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import static org.awaitility.Awaitility.await;

/**
 * A {@code redis-server} process of a test's own, on a free loopback port, with no
 * persistence, so that a test can kill and restart it without touching the shared server.
 *
 * @author Celeriac team
 */
public final class RedisServerProcess implements AutoCloseable {

	private final int port;

	private final Path directory;

	private final List<String> options;

	private Process process;

	private RedisServerProcess(int port, Path directory, List<String> options) {
		this.port = port;
		this.directory = directory;
		this.options = options;
		this.process = launch();
	}

	/**
	 * Starts a server on a free port, or skips the test if the machine has no
	 * {@code redis-server}.
	 * @param options extra server options, e.g. {@code --cluster-enabled yes}
	 * @return the running server
	 */
	public static RedisServerProcess start(String... options) {
		assumeInstalled("redis-server");
		try {
			Path directory = Files.createTempDirectory("celeriac-redis");
			return new RedisServerProcess(freePortWithFreeBusPort(), directory, List.of(options));
		}
		catch (IOException ex) {
			throw new IllegalStateException("Could not create a directory for redis-server", ex);
		}
	}

	/**
	 * Skips the test unless an executable is on the path.
	 * @param name the executable's name
	 */
	public static void assumeInstalled(String name) {
		String path = System.getenv("PATH");
		boolean found = path != null && List.of(path.split(File.pathSeparator))
			.stream()
			.anyMatch((folder) -> Files.isExecutable(Path.of(folder, name)));
		Assumptions.assumeTrue(found, () -> name + " is not installed (apt-get install redis-server); skipping");
	}

	public int port() {
		return this.port;
	}

	/**
	 * Returns a started connection factory on this server with the client settings an
	 * application gets, its client resources and itself owned by the caller's resources.
	 * @param settings the client settings
	 * @param owner what closes them after the test
	 * @return the factory
	 */
	public LettuceConnectionFactory connectionFactory(RedisClientSettings settings, OwnedResources owner) {
		ClientResources clientResources = settings.applyTo(DefaultClientResources.builder()).build();
		owner.add(clientResources::shutdown);
		LettuceConnectionFactory factory = new LettuceConnectionFactory(
				new RedisStandaloneConfiguration("127.0.0.1", port()), settings.clientConfiguration(clientResources));
		factory.afterPropertiesSet();
		factory.start();
		owner.add(factory::destroy);
		return factory;
	}

	/**
	 * Kills the server; its data is gone.
	 */
	public void stop() {
		this.process.destroyForcibly();
		try {
			this.process.waitFor();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/**
	 * Freezes the server (SIGSTOP): connections stay open, but nothing is answered.
	 */
	public void freeze() {
		signal("-STOP");
	}

	/**
	 * Lets a frozen server go on (SIGCONT).
	 */
	public void thaw() {
		signal("-CONT");
	}

	/**
	 * Starts the server again on the same port, empty.
	 */
	public void restart() {
		stop();
		this.process = launch();
	}

	@Override
	public void close() {
		thaw();
		stop();
		try (var files = Files.walk(this.directory)) {
			files.sorted((a, b) -> b.compareTo(a)).forEach((file) -> file.toFile().delete());
		}
		catch (IOException ex) {
			// a temporary directory left behind is harmless
		}
	}

	private void signal(String signal) {
		if (!this.process.isAlive()) {
			return;
		}
		try {
			Process kill = new ProcessBuilder("kill", signal, Long.toString(this.process.pid())).inheritIO().start();
			if (kill.waitFor() != 0) {
				throw new IllegalStateException("kill " + signal + " failed for redis-server " + this.process.pid());
			}
		}
		catch (IOException ex) {
			throw new IllegalStateException("Could not signal redis-server", ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private Process launch() {
		List<String> command = new ArrayList<>(List.of("redis-server", "--port", Integer.toString(this.port), "--bind",
				"127.0.0.1", "--save", "", "--appendonly", "no", "--dir", this.directory.toString()));
		command.addAll(this.options);
		try {
			Process started = new ProcessBuilder(command).redirectErrorStream(true)
				.redirectOutput(this.directory.resolve("redis-" + System.nanoTime() + ".log").toFile())
				.start();
			await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> "+PONG".equals(ping()));
			return started;
		}
		catch (IOException ex) {
			throw new IllegalStateException("Could not start " + command, ex);
		}
	}

	private String ping() throws IOException {
		try (Socket socket = new Socket("127.0.0.1", this.port)) {
			OutputStream out = socket.getOutputStream();
			out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
			out.flush();
			return new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII))
				.readLine();
		}
	}

	private static int freePortWithFreeBusPort() throws IOException {
		for (int attempt = 0; attempt < 100; attempt++) {
			int port = ThreadLocalRandom.current().nextInt(20000, 30000);
			if (free(port) && free(port + 10000)) {
				return port;
			}
		}
		throw new IllegalStateException("No free pair of loopback ports found");
	}

	private static boolean free(int port) {
		try (ServerSocket socket = new ServerSocket(port, 1, java.net.InetAddress.getLoopbackAddress())) {
			socket.setReuseAddress(true);
			return true;
		}
		catch (IOException ex) {
			return false;
		}
	}

}
