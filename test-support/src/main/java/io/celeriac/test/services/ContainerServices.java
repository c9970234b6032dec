package io.celeriac.test.services;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.utility.DockerImageName;

/**
 * Starts test servers with Testcontainers. Only loaded once a Docker engine may exist, so
 * the Testcontainers jar is optional.
 *
 * @author Celeriac team
 */
final class ContainerServices {

	private ContainerServices() {
	}

	/**
	 * Tells whether a Docker engine answers. Asks Testcontainers only when there is a
	 * hint of an engine, since its search for one is slow where none exists.
	 */
	static boolean dockerAvailable() {
		if ("false".equalsIgnoreCase(System.getenv("CELERIAC_TEST_DOCKER"))) {
			return false;
		}
		if (!isOnClassPath()) {
			return false;
		}
		boolean hint = System.getenv("DOCKER_HOST") != null || Files.exists(Path.of("/var/run/docker.sock"))
				|| Files.exists(Path.of(System.getProperty("user.home"), ".docker", "run", "docker.sock"))
				|| Files.exists(Path.of(System.getProperty("user.home"), ".testcontainers.properties"));
		return hint && DockerClientFactory.instance().isDockerAvailable();
	}

	private static boolean isOnClassPath() {
		try {
			Class.forName("org.testcontainers.DockerClientFactory", false, ContainerServices.class.getClassLoader());
			return true;
		}
		catch (ClassNotFoundException ex) {
			return false;
		}
	}

	static Resolved<RedisEndpoint> redis() {
		GenericContainer<?> container = new GenericContainer<>(DockerImageName.parse("redis:7.4-alpine"))
			.withExposedPorts(6379)
			.waitingFor(Wait.forLogMessage(".*Ready to accept connections.*\\n", 1));
		container.start();
		return new Resolved<>(new RedisEndpoint(container.getHost(), container.getMappedPort(6379)), container::stop);
	}

	static Resolved<RabbitEndpoint> rabbit() {
		GenericContainer<?> container = new GenericContainer<>(DockerImageName.parse("rabbitmq:4.1-alpine"))
			.withExposedPorts(5672)
			.waitingFor(Wait.forLogMessage(".*Server startup complete.*\\n", 1))
			.withStartupTimeout(Duration.ofMinutes(2));
		container.start();
		return new Resolved<>(
				new RabbitEndpoint(container.getHost(), container.getMappedPort(5672), "guest", "guest", "/"),
				container::stop);
	}

	static Resolved<PostgresEndpoint> postgres() {
		GenericContainer<?> container = new GenericContainer<>(DockerImageName.parse("postgres:17-alpine"))
			.withExposedPorts(5432)
			.withEnv("POSTGRES_HOST_AUTH_METHOD", "trust")
			.waitingFor(Wait.forLogMessage(".*database system is ready to accept connections.*\\n", 2));
		container.start();
		String url = "jdbc:postgresql://" + container.getHost() + ":" + container.getMappedPort(5432) + "/postgres";
		return new Resolved<>(new PostgresEndpoint(url, "postgres", ""), container::stop);
	}

}
