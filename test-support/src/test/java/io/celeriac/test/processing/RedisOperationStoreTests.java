package io.celeriac.test.processing;

import java.util.List;
import java.util.UUID;

import io.celeriac.processing.OperationKey;
import io.celeriac.processing.OperationStore;
import io.celeriac.processing.redis.RedisOperationStore;
import io.celeriac.test.services.RealServices;
import io.celeriac.test.services.RedisEndpoint;
import io.celeriac.test.services.ServiceIsolation;
import io.lettuce.core.cluster.SlotHash;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * The operation store contract on a real Redis, and that each request's keys share one
 * hash slot.
 *
 * @author Celeriac team
 */
@RealServices
class RedisOperationStoreTests extends OperationStoreContractTests {

	private static LettuceConnectionFactory connectionFactory;

	private static String classPrefix;

	@BeforeAll
	static void connect(RedisEndpoint redis, ServiceIsolation isolation) {
		connectionFactory = new LettuceConnectionFactory(new RedisStandaloneConfiguration(redis.host(), redis.port()));
		connectionFactory.afterPropertiesSet();
		connectionFactory.start();
		classPrefix = isolation.redisKeyPrefix();
	}

	@AfterAll
	static void disconnect() {
		connectionFactory.destroy();
	}

	@Override
	protected OperationStore createStore() {
		return new RedisOperationStore(connectionFactory, classPrefix + UUID.randomUUID() + ":");
	}

	@Test
	void theKeysOfOneRequestShareOneHashSlot() {
		String prefix = classPrefix + UUID.randomUUID() + ":";
		OperationStore store = new RedisOperationStore(connectionFactory, prefix);
		OperationKey key = new OperationKey("thumbnail", "https://example.com/slot.png");
		store.getOrAppend(key, List.of("1"), "p1", java.time.Duration.ofMinutes(1));
		List<String> keys = new java.util.ArrayList<>();
		try (var connection = connectionFactory.getConnection()) {
			connection.keyCommands()
				.scan(org.springframework.data.redis.core.ScanOptions.scanOptions().match(prefix + "*").build())
				.forEachRemaining((raw) -> keys.add(new String(raw, java.nio.charset.StandardCharsets.UTF_8)));
		}
		assertThat(keys).hasSize(2).allSatisfy((name) -> assertThat(name).contains("{thumbnail:"));
		assertThat(keys.stream().map(SlotHash::getSlot).distinct()).hasSize(1);
	}

	@Test
	void aKeyPrefixWithHashTagBracesIsRefused() {
		assertThatIllegalArgumentException().isThrownBy(() -> new RedisOperationStore(connectionFactory, "app{x}:"))
			.withMessageContaining("must not contain '{' or '}'");
	}

}
