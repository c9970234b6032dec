package io.celeriac.test.result;

import java.time.Duration;
import java.time.Instant;

import io.celeriac.result.CeleryResultFormat;
import io.celeriac.result.ResultStore;
import io.celeriac.result.TaskFailure;
import io.celeriac.result.TaskResult;
import io.celeriac.result.TaskState;
import io.celeriac.result.redis.RedisResultStore;
import io.celeriac.test.services.RealServices;
import io.celeriac.test.services.RedisEndpoint;
import io.celeriac.test.services.ServiceIsolation;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The result store contract on a real Redis, and Celery's Redis backend format: the key,
 * the JSON value's fields and the expiry.
 *
 * @author Celeriac team
 */
@RealServices
class RedisResultStoreTests extends ResultStoreContractTests {

	private final LettuceConnectionFactory connectionFactory;

	private final RedisResultStore store;

	private final RedisEndpoint endpoint;

	private final String prefix;

	RedisResultStoreTests(RedisEndpoint endpoint, ServiceIsolation isolation) {
		this.endpoint = endpoint;
		this.connectionFactory = new LettuceConnectionFactory(
				new RedisStandaloneConfiguration(endpoint.host(), endpoint.port()));
		this.connectionFactory.afterPropertiesSet();
		this.prefix = isolation.redisKeyPrefix();
		this.store = new RedisResultStore(this.connectionFactory, new CeleryResultFormat(new JsonMapper()), this.prefix,
				Duration.ofMinutes(5));
	}

	@AfterEach
	void disconnect() {
		this.connectionFactory.destroy();
	}

	@Override
	protected ResultStore store() {
		return this.store;
	}

	@Test
	void aResultIsStoredAsCeleryDoesWithAnExpiry() {
		String id = newId();
		this.store.save(success(id, json("{\"report_id\": 5}")));
		RedisClient client = RedisClient.create(this.endpoint.uri());
		try (StatefulRedisConnection<String, String> connection = client.connect()) {
			String key = this.prefix + "celery-task-meta-" + id;
			JsonNode meta = json(connection.sync().get(key));
			assertThat(meta.get("status").asString()).isEqualTo("SUCCESS");
			assertThat(meta.get("result")).isEqualTo(json("{\"report_id\": 5}"));
			assertThat(meta.get("task_id").asString()).isEqualTo(id);
			assertThat(meta.get("children")).isEqualTo(json("[]"));
			assertThat(meta.get("traceback").isNull()).isTrue();
			assertThat(meta.get("date_done").asString()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{6}");
			assertThat(meta.get("name").asString()).isEqualTo("sample.add");
			assertThat(meta.get("args")).isEqualTo(json("[2, 3]"));
			assertThat(meta.get("queue").asString()).isEqualTo("sample");
			assertThat(connection.sync().ttl(key)).isBetween(1L, 300L);
		}
		finally {
			client.shutdown();
		}
	}

	@Test
	void aFailureIsStoredWithCeleryExceptionFields() {
		String id = newId();
		this.store.save(new TaskResult(id, TaskState.FAILURE, null,
				new TaskFailure("IllegalStateException", "java.lang", "boom", "trace"), "sample.fail", json("[]"),
				json("{}"), "w", 0, "sample", Instant.now()));
		RedisClient client = RedisClient.create(this.endpoint.uri());
		try (StatefulRedisConnection<String, String> connection = client.connect()) {
			JsonNode meta = json(connection.sync().get(this.prefix + "celery-task-meta-" + id));
			assertThat(meta.get("result")).isEqualTo(json(
					"{\"exc_type\": \"IllegalStateException\", \"exc_message\": [\"boom\"], \"exc_module\": \"java.lang\"}"));
			assertThat(meta.get("traceback").asString()).isEqualTo("trace");
		}
		finally {
			client.shutdown();
		}
	}

}
