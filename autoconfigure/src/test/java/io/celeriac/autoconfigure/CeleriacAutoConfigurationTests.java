package io.celeriac.autoconfigure;

import io.celeriac.autoconfigure.limit.LimiterProperties;
import io.celeriac.autoconfigure.result.ResultProperties;
import io.celeriac.autoconfigure.task.BrokerProperties;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link CeleriacAutoConfiguration}: how each capability's backend is chosen.
 *
 * @author Celeriac team
 */
class CeleriacAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(CeleriacAutoConfiguration.class));

	@Test
	void withNoServerConfiguredEveryCapabilityIsInMemory() {
		this.contextRunner.run((context) -> {
			CeleriacBackends backends = context.getBean(CeleriacBackends.class);
			assertThat(backends.of(Capability.BROKER)).isEqualTo(BrokerType.MEMORY);
			assertThat(backends.of(Capability.RESULT)).isEqualTo(ResultStoreType.MEMORY);
			assertThat(backends.of(Capability.CACHE)).isEqualTo(StoreType.MEMORY);
			assertThat(backends.of(Capability.LOCK)).isEqualTo(StoreType.MEMORY);
			assertThat(backends.of(Capability.LIMITER)).isEqualTo(StoreType.MEMORY);
		});
	}

	@Test
	void configuredServersSelectTheRealBackends() {
		this.contextRunner
			.withPropertyValues("spring.rabbitmq.host=rabbit.example", "spring.data.redis.url=redis://redis.example",
					"spring.datasource.url=jdbc:postgresql://db.example/app")
			.run((context) -> {
				CeleriacBackends backends = context.getBean(CeleriacBackends.class);
				assertThat(backends.of(Capability.BROKER)).isEqualTo(BrokerType.RABBIT);
				assertThat(backends.of(Capability.RESULT)).isEqualTo(ResultStoreType.JDBC);
				assertThat(backends.of(Capability.CACHE)).isEqualTo(StoreType.REDIS);
				assertThat(backends.of(Capability.LOCK)).isEqualTo(StoreType.REDIS);
				assertThat(backends.of(Capability.LIMITER)).isEqualTo(StoreType.REDIS);
			});
	}

	@Test
	void eachRedisPropertyCountsAsAConfiguredServer() {
		for (String property : new String[] { "spring.data.redis.host=h", "spring.data.redis.port=6380",
				"spring.data.redis.cluster.nodes=h:7000", "spring.data.redis.sentinel.master=m" }) {
			this.contextRunner.withPropertyValues(property)
				.run((context) -> assertThat(context.getBean(CeleriacBackends.class).of(Capability.LOCK)).as(property)
					.isEqualTo(StoreType.REDIS));
		}
	}

	@Test
	void anExplicitTypeWinsOverTheDefault() {
		this.contextRunner
			.withPropertyValues("spring.data.redis.host=redis.example", "celeriac.lock.type=memory",
					"celeriac.broker.type=redis", "celeriac.result.type=none")
			.run((context) -> {
				CeleriacBackends backends = context.getBean(CeleriacBackends.class);
				assertThat(backends.of(Capability.LOCK)).isEqualTo(StoreType.MEMORY);
				assertThat(backends.of(Capability.CACHE)).isEqualTo(StoreType.REDIS);
				assertThat(backends.of(Capability.BROKER)).isEqualTo(BrokerType.REDIS);
				assertThat(backends.of(Capability.RESULT)).isEqualTo(ResultStoreType.NONE);
			});
	}

	@Test
	void typesAreReadWithoutRegardToCase() {
		this.contextRunner.withPropertyValues("celeriac.cache.type=Redis")
			.run((context) -> assertThat(context.getBean(CeleriacBackends.class).of(Capability.CACHE))
				.isEqualTo(StoreType.REDIS));
	}

	@Test
	void anUnknownTypeFailsStartupNamingThePropertyAndTheValidValues() {
		this.contextRunner.withPropertyValues("celeriac.lock.type=zookeeper").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause()
				.isInstanceOf(InvalidBackendTypeException.class)
				.hasMessage(
						"Unknown backend 'zookeeper' in property 'celeriac.lock.type'; expected one of: redis, memory");
		});
	}

	@Test
	void aTypeOfAnotherCapabilityIsUnknown() {
		this.contextRunner.withPropertyValues("celeriac.result.type=rabbit").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause()
				.hasMessageContaining("expected one of: jdbc, redis, memory, none");
		});
	}

	@Test
	void theFailureAnalyzerTellsWhatToSet() {
		InvalidBackendTypeException failure = new InvalidBackendTypeException("celeriac.cache.type", "memcached",
				"redis, memory");
		FailureAnalysis analysis = new InvalidBackendTypeFailureAnalyzer()
			.analyze(new IllegalStateException("Error processing condition", failure));
		assertThat(analysis).isNotNull();
		assertThat(analysis.getDescription()).contains("celeriac.cache.type").contains("memcached");
		assertThat(analysis.getAction()).contains("redis, memory");
	}

	@Test
	void aUserBackendsBeanReplacesOurs() {
		CeleriacBackends own = CeleriacBackends.resolve(
				new org.springframework.mock.env.MockEnvironment().withProperty("celeriac.broker.type", "redis"), null);
		this.contextRunner.withBean(CeleriacBackends.class, () -> own)
			.run((context) -> assertThat(context).getBean(CeleriacBackends.class).isSameAs(own));
	}

	@Test
	void propertiesBindToTheirEnums() {
		this.contextRunner.withUserConfiguration(BoundProperties.class)
			.withPropertyValues("celeriac.result.type=jdbc", "celeriac.limiter.type=redis")
			.run((context) -> {
				assertThat(context.getBean(ResultProperties.class).getType()).isEqualTo(ResultStoreType.JDBC);
				assertThat(context.getBean(LimiterProperties.class).getType()).isEqualTo(StoreType.REDIS);
				assertThat(context.getBean(BrokerProperties.class).getType()).isNull();
			});
	}

	@Configuration(proxyBeanMethods = false)
	@EnableConfigurationProperties({ ResultProperties.class, LimiterProperties.class, BrokerProperties.class })
	static class BoundProperties {

	}

}
