package io.celeriac.test.services;

/**
 * A server that Celeriac's tests talk to, with where it answers by default, the
 * environment variable that points tests elsewhere, and how to start it.
 *
 * @author Celeriac team
 */
public enum TestService {

	/**
	 * Redis.
	 */
	REDIS("Redis", "CELERIAC_TEST_REDIS_URL", "redis://127.0.0.1:6379", 6379,
			"redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save \"\" --appendonly no"),

	/**
	 * RabbitMQ.
	 */
	RABBITMQ("RabbitMQ", "CELERIAC_TEST_RABBITMQ_URL", "amqp://guest:guest@127.0.0.1:5672/", 5672,
			"rabbitmq-server -detached"),

	/**
	 * PostgreSQL.
	 */
	POSTGRES("PostgreSQL", "CELERIAC_TEST_POSTGRES_URL", "jdbc:postgresql://127.0.0.1:5432/postgres", 5432,
			"pg_ctlcluster <version> main start");

	private final String displayName;

	private final String environmentVariable;

	private final String localUrl;

	private final int localPort;

	private final String startCommand;

	TestService(String displayName, String environmentVariable, String localUrl, int localPort, String startCommand) {
		this.displayName = displayName;
		this.environmentVariable = environmentVariable;
		this.localUrl = localUrl;
		this.localPort = localPort;
		this.startCommand = startCommand;
	}

	/**
	 * Returns the name people know the server by.
	 * @return e.g. {@code RabbitMQ}
	 */
	public String displayName() {
		return this.displayName;
	}

	/**
	 * Returns the environment variable that points tests at another server.
	 * @return e.g. {@code CELERIAC_TEST_REDIS_URL}
	 */
	public String environmentVariable() {
		return this.environmentVariable;
	}

	String localUrl() {
		return this.localUrl;
	}

	int localPort() {
		return this.localPort;
	}

	String unavailableMessage(String why) {
		return this.displayName + " is needed by this test but none could be found: " + why + ". Start one on "
				+ "127.0.0.1:" + this.localPort + " (e.g. `" + this.startCommand + "`, or `bash .ci/run`, which starts "
				+ "all three), start a Docker engine so that Testcontainers can run one, or set "
				+ this.environmentVariable + " (e.g. " + this.localUrl + ").";
	}

}
