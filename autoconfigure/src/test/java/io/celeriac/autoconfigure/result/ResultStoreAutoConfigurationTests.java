package io.celeriac.autoconfigure.result;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import io.celeriac.autoconfigure.CeleriacAutoConfiguration;
import io.celeriac.result.BatchingResultStore;
import io.celeriac.result.ResultStore;
import io.celeriac.result.TaskResult;
import io.celeriac.result.TaskState;
import io.celeriac.result.jdbc.JdbcResultStore;
import io.celeriac.result.memory.InMemoryResultStore;
import io.celeriac.result.redis.RedisResultStore;
import net.razorvine.pickle.Pickler;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link ResultStoreAutoConfiguration}.
 *
 * @author Celeriac team
 */
class ResultStoreAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, DataSourceAutoConfiguration.class,
				DataRedisAutoConfiguration.class, CeleriacAutoConfiguration.class, ResultStoreAutoConfiguration.class));

	@Test
	void memoryIsTheDefault() {
		this.contextRunner
			.run((context) -> assertThat(context).getBean(ResultStore.class).isInstanceOf(InMemoryResultStore.class));
	}

	@Test
	void aDataSourceUrlSelectsJdbcAndCreatesTheTablesInAnEmbeddedDatabase() {
		this.contextRunner.withPropertyValues("spring.datasource.url=" + h2Url()).run((context) -> {
			ResultStore store = context.getBean(ResultStore.class);
			assertThat(store).isInstanceOf(BatchingResultStore.class);
			assertThat(((BatchingResultStore) store).delegate()).isInstanceOf(JdbcResultStore.class);
			String id = UUID.randomUUID().toString();
			store.save(new TaskResult(id, TaskState.SUCCESS, new JsonMapper().readTree("7"), null, "sample.add", null,
					null, "w", 0, "sample", Instant.now()));
			assertThat(store.find(id).orElseThrow().state()).isEqualTo(TaskState.SUCCESS);
			assertThat(new JdbcTemplate(context.getBean(DataSource.class))
				.queryForObject("SELECT count(*) FROM celery_taskmeta", Integer.class)).isOne();
		});
	}

	@Test
	void theInMemoryStoreKeepsAtMostMemoryMaxEntries() {
		this.contextRunner.withPropertyValues("celeriac.result.memory-max-entries=2").run((context) -> {
			InMemoryResultStore store = context.getBean(InMemoryResultStore.class);
			for (int i = 0; i < 3; i++) {
				store.save(new TaskResult("task-" + i, TaskState.SUCCESS, null, null, "sample.add", null, null, "w", 0,
						"sample", Instant.now()));
			}
			assertThat(store.size()).isEqualTo(2);
			assertThat(store.find("task-0")).isEmpty();
		});
	}

	@Test
	void queueCapacityBoundsTheBatchingWriter() {
		this.contextRunner.withPropertyValues("spring.datasource.url=" + h2Url(), "celeriac.result.queue-capacity=50")
			.run((context) -> assertThat(context.getBean(BatchingResultStore.class).status().capacity()).isEqualTo(50));
	}

	@Test
	void batchSizeOneWritesEachResultOnItsOwn() {
		this.contextRunner.withPropertyValues("spring.datasource.url=" + h2Url(), "celeriac.result.batch-size=1")
			.run((context) -> assertThat(context).getBean(ResultStore.class).isInstanceOf(JdbcResultStore.class));
	}

	@Test
	void initializeSchemaNeverCreatesNoTables() {
		this.contextRunner
			.withPropertyValues("spring.datasource.url=" + h2Url(), "celeriac.result.initialize-schema=never")
			.run((context) -> {
				assertThat(context).hasSingleBean(ResultStore.class);
				assertThat(new JdbcTemplate(context.getBean(DataSource.class)).queryForObject(
						"SELECT count(*) FROM information_schema.tables WHERE lower(table_name) = 'celery_taskmeta'",
						Integer.class))
					.isZero();
			});
	}

	@Test
	void theResultStoreCanHaveItsOwnDataSource() {
		String results = h2Url();
		this.contextRunner
			.withPropertyValues("spring.datasource.url=" + h2Url(), "celeriac.result.datasource.url=" + results,
					"celeriac.result.datasource.username=sa")
			.run((context) -> {
				ResultDataSource own = context.getBean(ResultDataSource.class);
				assertThat(own.owned()).isTrue();
				assertThat(own.dataSource()).isNotSameAs(context.getBean(DataSource.class));
				assertThat(new JdbcTemplate(own.dataSource()).queryForObject(
						"SELECT count(*) FROM information_schema.tables WHERE lower(table_name) = 'celery_taskmeta'",
						Integer.class))
					.isOne();
			});
	}

	@Test
	void theResultStoresOwnPoolWaitsForAConnectionAtMostThreeQuartersOfTheWriteTimeout() {
		this.contextRunner
			.withPropertyValues("spring.datasource.url=" + h2Url(), "celeriac.result.datasource.url=" + h2Url(),
					"celeriac.result.datasource.username=sa", "celeriac.result.write-timeout=4s")
			.run((context) -> {
				context.getBean(ResultStore.class);
				DataSource own = context.getBean(ResultDataSource.class).dataSource();
				assertThat(own).isInstanceOf(HikariDataSource.class);
				assertThat(((HikariDataSource) own).getConnectionTimeout()).isEqualTo(3000);
				// the application's pool is the application's to tune
				assertThat(((HikariDataSource) context.getBean(DataSource.class)).getConnectionTimeout())
					.isEqualTo(30_000);
			});
	}

	@Test
	void redisIsSelectedWithCeleryKeysAndTheConfiguredExpiry() {
		this.contextRunner.withPropertyValues("celeriac.result.type=redis", "celeriac.result.expires=2h")
			.run((context) -> {
				RedisResultStore store = context.getBean(RedisResultStore.class);
				assertThat(store.key("abc")).isEqualTo("celery-task-meta-abc");
				assertThat(store).hasFieldOrPropertyWithValue("expires", Duration.ofHours(2));
			});
	}

	@Test
	void aUserResultStoreWins() {
		this.contextRunner.withPropertyValues("spring.datasource.url=" + h2Url())
			.withUserConfiguration(UserStoreConfiguration.class)
			.run((context) -> assertThat(context).getBean(ResultStore.class)
				.isSameAs(context.getBean(UserStoreConfiguration.class).store));
	}

	@Test
	void withoutThePickleLibraryNoJdbcStoreIsDefined() {
		this.contextRunner.withPropertyValues("spring.datasource.url=" + h2Url())
			.withClassLoader(new FilteredClassLoader(Pickler.class))
			.run((context) -> assertThat(context).doesNotHaveBean(ResultStore.class));
	}

	private static String h2Url() {
		return "jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
	}

	@Configuration(proxyBeanMethods = false)
	static class UserStoreConfiguration {

		final InMemoryResultStore store = new InMemoryResultStore();

		@Bean
		ResultStore myResultStore() {
			return this.store;
		}

	}

}
