package io.celeriac.test.debounce;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import io.celeriac.debounce.DebounceDecision.Outcome;
import io.celeriac.debounce.Debouncer;
import io.celeriac.debounce.redis.RedisDebouncer;
import io.celeriac.test.process.ChildProcess;
import io.celeriac.test.process.JavaProcess;
import io.celeriac.test.services.RealServices;
import io.celeriac.test.services.RedisEndpoint;
import io.celeriac.test.services.ServiceIsolation;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The debouncer contract on a real Redis, and four producer processes hammering the same
 * call at once: exactly the seed's outcome.
 *
 * @author Celeriac team
 */
@RealServices
class RedisDebouncerTests extends DebouncerContractTests {

	private static final int PRODUCERS = 4;

	private static final int CALLS = 50;

	private static final Duration WINDOW = Duration.ofSeconds(30);

	private static final Duration WAIT = Duration.ofSeconds(60);

	private final RedisEndpoint endpoint;

	private final String keyPrefix;

	private final LettuceConnectionFactory connectionFactory;

	private final RedisDebouncer debouncer;

	RedisDebouncerTests(RedisEndpoint endpoint, ServiceIsolation isolation) {
		this.endpoint = endpoint;
		this.keyPrefix = isolation.redisKeyPrefix();
		this.connectionFactory = new LettuceConnectionFactory(
				new RedisStandaloneConfiguration(endpoint.host(), endpoint.port()));
		this.connectionFactory.afterPropertiesSet();
		this.connectionFactory.start();
		this.debouncer = new RedisDebouncer(this.connectionFactory, this.keyPrefix);
	}

	@AfterEach
	void disconnect() {
		this.connectionFactory.destroy();
	}

	@Override
	protected Debouncer debouncer() {
		return this.debouncer;
	}

	@Test
	void fourProducersHammeringTheSameCallSendItOnceNowAndOnceAtTheWindowsEnd() {
		List<String> outcomes = hammer(false);
		assertThat(outcomes).hasSize(PRODUCERS * CALLS);
		assertThat(outcomes).filteredOn((line) -> line.startsWith("NOW ")).containsExactly("NOW 0");
		List<String> delayed = outcomes.stream().filter((line) -> line.startsWith("DELAYED ")).toList();
		assertThat(delayed).hasSize(1);
		long delay = Long.parseLong(delayed.get(0).substring("DELAYED ".length()));
		assertThat(delay).isPositive().isLessThanOrEqualTo(WINDOW.toMillis());
		assertThat(outcomes).filteredOn((line) -> line.startsWith("SKIPPED ")).hasSize(PRODUCERS * CALLS - 2);
	}

	@Test
	void fourProducersHammeringWithAlwaysDelaySendItOnceAtTheWindowsEnd() {
		List<String> outcomes = hammer(true);
		assertThat(outcomes).hasSize(PRODUCERS * CALLS);
		assertThat(outcomes).filteredOn((line) -> line.startsWith("NOW ")).isEmpty();
		assertThat(outcomes).filteredOn((line) -> line.startsWith("DELAYED "))
			.containsExactly("DELAYED " + WINDOW.toMillis());
		assertThat(outcomes).filteredOn((line) -> line.startsWith("SKIPPED ")).hasSize(PRODUCERS * CALLS - 1);
	}

	private List<String> hammer(boolean alwaysDelay) {
		String key = "call-" + UUID.randomUUID();
		String start = this.keyPrefix + "start-" + UUID.randomUUID();
		List<ChildProcess> producers = new ArrayList<>();
		try {
			for (int i = 0; i < PRODUCERS; i++) {
				producers.add(JavaProcess.of(DebounceProducerMain.class)
					.arguments(this.endpoint.host(), Integer.toString(this.endpoint.port()), this.keyPrefix, key,
							Long.toString(WINDOW.toMillis()), Boolean.toString(alwaysDelay), Integer.toString(CALLS),
							start)
					.start());
			}
			for (ChildProcess producer : producers) {
				producer.awaitLine("ready", WAIT);
			}
			StringRedisTemplate redis = new StringRedisTemplate(this.connectionFactory);
			for (int i = 0; i < PRODUCERS; i++) {
				redis.opsForList().leftPush(start, "go");
			}
			List<String> outcomes = new ArrayList<>();
			for (ChildProcess producer : producers) {
				producer.awaitLine("done", WAIT);
				producer.output()
					.stream()
					.filter((line) -> line.startsWith("outcome "))
					.map((line) -> line.substring("outcome ".length()))
					.forEach(outcomes::add);
			}
			return outcomes;
		}
		finally {
			producers.forEach(ChildProcess::close);
		}
	}

}
