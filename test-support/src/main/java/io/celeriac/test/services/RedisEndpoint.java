package io.celeriac.test.services;

/**
 * Where a test's Redis server answers.
 *
 * @param host the host name or address
 * @param port the port
 * @author Celeriac team
 */
public record RedisEndpoint(String host, int port) {

	/**
	 * Returns the endpoint as a Redis URI, as Lettuce and {@code spring.data.redis.url}
	 * take it.
	 * @return the URI, e.g. {@code redis://127.0.0.1:6379}
	 */
	public String uri() {
		return "redis://" + this.host + ":" + this.port;
	}

}
