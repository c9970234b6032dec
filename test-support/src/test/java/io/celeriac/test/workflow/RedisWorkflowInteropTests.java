package io.celeriac.test.workflow;

import java.time.Duration;
import java.util.List;

import io.celeriac.result.CeleryResultFormat;
import io.celeriac.result.ResultStore;
import io.celeriac.result.redis.RedisResultStore;
import io.celeriac.test.services.RealServices;
import io.celeriac.test.services.RedisEndpoint;
import io.celeriac.workflow.ChordCompletion;
import io.celeriac.workflow.ChordJoin;
import io.celeriac.workflow.redis.RedisChordJoin;
import org.junit.jupiter.api.AfterAll;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * Workflows over Celery's Redis backend and the Redis result store: chords are joined by
 * the member that completes the {@code celery-taskset-meta-<group>.j} set, Java or Python
 * (Celery's keys have no prefix; results expire after five minutes).
 *
 * @author Celeriac team
 */
@RealServices
class RedisWorkflowInteropTests extends WorkflowInteropTests {

	private static final Duration EXPIRES = Duration.ofMinutes(5);

	private final LettuceConnectionFactory connectionFactory;

	private final CeleryResultFormat format = new CeleryResultFormat(new JsonMapper());

	private final RedisResultStore store;

	private final String backendUrl;

	private final List<String> childStoreArguments;

	RedisWorkflowInteropTests(RedisEndpoint redis) {
		this.connectionFactory = new LettuceConnectionFactory(
				new RedisStandaloneConfiguration(redis.host(), redis.port()));
		this.connectionFactory.afterPropertiesSet();
		this.store = new RedisResultStore(this.connectionFactory, this.format, "", EXPIRES);
		this.backendUrl = redis.uri() + "/0";
		this.childStoreArguments = List.of("redis", redis.host(), String.valueOf(redis.port()));
	}

	@AfterAll
	void closeRedis() {
		this.connectionFactory.destroy();
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
	protected ChordJoin chordJoin(ChordCompletion completion) {
		return new RedisChordJoin(this.connectionFactory, "", EXPIRES, completion, this.format);
	}

	@Override
	protected List<String> childStoreArguments() {
		return this.childStoreArguments;
	}

	@Override
	protected boolean joinsWithChordUnlock() {
		return false;
	}

}
