package io.celeriac.test.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.celeriac.test.resource.Commands;

import org.springframework.data.redis.connection.RedisClusterConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import static org.awaitility.Awaitility.await;

/**
 * A Redis Cluster of three masters that a test starts on free loopback ports with the
 * machine's {@code redis-server} and {@code redis-cli}, and kills afterwards.
 *
 * @author Celeriac team
 */
public final class RedisClusterProcesses implements AutoCloseable {

	private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(60);

	private final List<RedisServerProcess> masters = new ArrayList<>();

	private RedisClusterProcesses() {
	}

	/**
	 * Starts three masters and joins them into a cluster, or skips the test if
	 * {@code redis-server} or {@code redis-cli} is missing.
	 * @return the running cluster
	 */
	public static RedisClusterProcesses start() {
		RedisServerProcess.assumeInstalled("redis-server");
		RedisServerProcess.assumeInstalled("redis-cli");
		RedisClusterProcesses cluster = new RedisClusterProcesses();
		try {
			for (int i = 0; i < 3; i++) {
				cluster.masters.add(RedisServerProcess.start("--cluster-enabled", "yes", "--cluster-config-file",
						"nodes.conf", "--cluster-node-timeout", "5000"));
			}
			List<String> create = new ArrayList<>(List.of("redis-cli", "--cluster", "create"));
			cluster.nodes().forEach(create::add);
			create.addAll(List.of("--cluster-replicas", "0", "--cluster-yes"));
			run(create);
			for (RedisServerProcess master : cluster.masters) {
				await().atMost(Duration.ofSeconds(30))
					.pollInterval(Duration.ofMillis(200))
					.until(() -> run(List.of("redis-cli", "-p", Integer.toString(master.port()), "cluster", "info"))
						.contains("cluster_state:ok"));
			}
			return cluster;
		}
		catch (RuntimeException ex) {
			cluster.close();
			throw ex;
		}
	}

	/**
	 * Returns the masters as {@code host:port}.
	 * @return the nodes
	 */
	public List<String> nodes() {
		return this.masters.stream().map((master) -> "127.0.0.1:" + master.port()).toList();
	}

	/**
	 * Returns a started connection factory for the cluster.
	 * @return the connection factory
	 */
	public LettuceConnectionFactory connectionFactory() {
		LettuceConnectionFactory factory = new LettuceConnectionFactory(new RedisClusterConfiguration(nodes()));
		factory.afterPropertiesSet();
		factory.start();
		return factory;
	}

	@Override
	public void close() {
		this.masters.forEach(RedisServerProcess::close);
	}

	private static String run(List<String> command) {
		return Commands.run(COMMAND_TIMEOUT, command);
	}

}
