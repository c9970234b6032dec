package io.celeriac.test.revoke;

import java.util.UUID;

import io.celeriac.revoke.RevokedTaskStore;
import io.celeriac.revoke.RevokedTaskStore.Limits;
import io.celeriac.revoke.redis.RedisRevokedTaskStore;
import io.celeriac.test.redis.RedisConnections;
import io.celeriac.test.services.RealServices;
import io.celeriac.test.services.RedisEndpoint;
import io.celeriac.test.services.ServiceIsolation;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInstance;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * The {@link RevokedTaskStore} contract on {@link RedisRevokedTaskStore}, each test with
 * its own key prefix.
 *
 * @author Celeriac team
 */
@RealServices
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RedisRevokedTaskStoreTests extends RevokedTaskStoreContractTests {

	private LettuceConnectionFactory connections;

	private String prefix;

	private String testPrefix;

	@BeforeAll
	void connect(RedisEndpoint redis, ServiceIsolation isolation) {
		this.prefix = isolation.redisKeyPrefix();
		this.connections = RedisConnections.start(redis.host(), redis.port());
	}

	@BeforeEach
	void newPrefix() {
		this.testPrefix = this.prefix + UUID.randomUUID() + ":";
	}

	@AfterAll
	void disconnect() {
		this.connections.destroy();
	}

	@Override
	protected RevokedTaskStore store(Limits limits) {
		return new RedisRevokedTaskStore(this.connections, this.testPrefix, limits);
	}

}
