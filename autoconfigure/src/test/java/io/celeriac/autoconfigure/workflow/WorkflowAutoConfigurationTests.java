package io.celeriac.autoconfigure.workflow;

import java.util.List;

import io.celeriac.autoconfigure.CeleriacAutoConfiguration;
import io.celeriac.autoconfigure.delay.DelayedTaskAutoConfiguration;
import io.celeriac.autoconfigure.result.ResultStoreAutoConfiguration;
import io.celeriac.autoconfigure.task.TaskAutoConfiguration;
import io.celeriac.autoconfigure.worker.WorkerAutoConfiguration;
import io.celeriac.protocol.TaskMessage;
import io.celeriac.result.TaskResult;
import io.celeriac.workflow.ChordJoin;
import io.celeriac.workflow.ChordUnlockJoin;
import io.celeriac.workflow.Placement;
import io.celeriac.workflow.Signature;
import io.celeriac.workflow.WorkflowClient;
import io.celeriac.workflow.WorkflowContinuation;
import io.celeriac.workflow.WorkflowSettings;
import io.celeriac.workflow.redis.RedisChordJoin;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link WorkflowAutoConfiguration}.
 *
 * @author Celeriac team
 */
class WorkflowAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, CeleriacAutoConfiguration.class,
				ResultStoreAutoConfiguration.class, TaskAutoConfiguration.class, DelayedTaskAutoConfiguration.class,
				WorkflowAutoConfiguration.class, WorkerAutoConfiguration.class));

	@Test
	void clientAndChordUnlockJoinByDefault() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasSingleBean(WorkflowClient.class).hasSingleBean(WorkflowContinuation.class);
			assertThat(context).getBean(ChordJoin.class).isInstanceOf(ChordUnlockJoin.class);
			assertThat(context.getBean(WorkflowSettings.class)).isEqualTo(WorkflowSettings.defaults());
		});
	}

	@Test
	void chordUnlockSettingsFromProperties() {
		this.contextRunner
			.withPropertyValues("celeriac.workflow.chord-unlock-max-retries=10",
					"celeriac.workflow.chord-unlock-interval=250ms")
			.run((context) -> assertThat(context.getBean(WorkflowSettings.class))
				.isEqualTo(new WorkflowSettings(java.time.Duration.ofMillis(250), 10)));
	}

	@Test
	void redisJoinWithTheRedisResultStore() {
		this.contextRunner.withUserConfiguration(RedisConfiguration.class)
			.withPropertyValues("celeriac.result.type=redis")
			.run((context) -> assertThat(context).getBean(ChordJoin.class).isInstanceOf(RedisChordJoin.class));
	}

	@Test
	void chordUnlockJoinWithoutSpringDataRedis() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(RedisConnectionFactory.class))
			.run((context) -> assertThat(context).getBean(ChordJoin.class).isInstanceOf(ChordUnlockJoin.class));
	}

	@Test
	void userChordJoinWins() {
		this.contextRunner.withUserConfiguration(UserJoinConfiguration.class)
			.withPropertyValues("celeriac.result.type=redis")
			.withUserConfiguration(RedisConfiguration.class)
			.run((context) -> assertThat(context).getBean(ChordJoin.class).isSameAs(UserJoinConfiguration.JOIN));
	}

	@Configuration(proxyBeanMethods = false)
	static class RedisConfiguration {

		@Bean
		LettuceConnectionFactory redisConnectionFactory() {
			return new LettuceConnectionFactory();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserJoinConfiguration {

		static final ChordJoin JOIN = new ChordJoin() {

			@Override
			public void prepare(String groupId, int size) {
			}

			@Override
			public void started(String groupId, List<String> memberIds, Signature body, Placement placement) {
			}

			@Override
			public void memberDone(TaskMessage member, TaskResult outcome) {
			}

		};

		@Bean
		ChordJoin userChordJoin() {
			return JOIN;
		}

	}

}
