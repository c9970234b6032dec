package io.celeriac.test.result;

import java.time.Duration;
import java.util.List;

import io.celeriac.result.CeleryResultFormat;
import io.celeriac.result.ResultStore;
import io.celeriac.result.redis.RedisResultStore;
import io.celeriac.test.services.RealServices;
import io.celeriac.test.services.RabbitEndpoint;
import io.celeriac.test.services.RedisEndpoint;
import io.celeriac.test.services.ServiceIsolation;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * Python Celery's Redis backend and the Redis result store share
 * {@code celery-task-meta-<id>} keys (no prefix: Celery 5.2 has no global_keyprefix).
 *
 * @author Celeriac team
 */
@RealServices
class RedisPythonInteroperabilityTests extends PythonInteroperabilityTests {

	private final LettuceConnectionFactory connectionFactory;

	private final RedisResultStore store;

	private final String backendUrl;

	private final RabbitEndpoint rabbit;

	private final ServiceIsolation isolation;

	RedisPythonInteroperabilityTests(RedisEndpoint redis, RabbitEndpoint rabbit, ServiceIsolation isolation) {
		this.rabbit = rabbit;
		this.isolation = isolation;
		this.connectionFactory = new LettuceConnectionFactory(
				new RedisStandaloneConfiguration(redis.host(), redis.port()));
		this.connectionFactory.afterPropertiesSet();
		this.store = new RedisResultStore(this.connectionFactory, new CeleryResultFormat(new JsonMapper()), "",
				Duration.ofMinutes(5));
		this.backendUrl = redis.uri() + "/0";
	}

	@Override
	protected ResultStore store() {
		return this.store;
	}

	@Override
	protected String celeryBackendUrl() {
		return this.backendUrl;
	}

	@Override
	protected void cleanUp(List<String> taskIds) {
		new StringRedisTemplate(this.connectionFactory).delete(taskIds.stream().map(this.store::key).toList());
		this.connectionFactory.destroy();
	}

	@Override
	protected RabbitEndpoint rabbit() {
		return this.rabbit;
	}

	@Override
	protected ServiceIsolation isolation() {
		return this.isolation;
	}

}
