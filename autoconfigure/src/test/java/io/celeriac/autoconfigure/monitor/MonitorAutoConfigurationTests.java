package io.celeriac.autoconfigure.monitor;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import javax.sql.DataSource;

import io.celeriac.autoconfigure.CeleriacAutoConfiguration;
import io.celeriac.autoconfigure.result.ResultStoreAutoConfiguration;
import io.celeriac.autoconfigure.task.TaskAutoConfiguration;
import io.celeriac.monitor.CompositeTaskHistory;
import io.celeriac.monitor.TaskHistory;
import io.celeriac.monitor.TaskMonitor;
import io.celeriac.monitor.TaskQuery;
import io.celeriac.monitor.TaskRecordStore;
import io.celeriac.monitor.TaskSummary;
import io.celeriac.monitor.jdbc.JdbcTaskHistory;
import io.celeriac.monitor.jdbc.JdbcTaskRecordStore;
import io.celeriac.monitor.memory.InMemoryTaskRecordStore;
import io.celeriac.task.TaskClient;
import io.celeriac.task.TaskHandle;
import io.celeriac.result.ResultStore;
import io.celeriac.result.TaskResult;
import io.celeriac.result.TaskState;
import io.celeriac.result.memory.InMemoryResultStore;
import io.celeriac.task.TaskOptions;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link MonitorAutoConfiguration}.
 *
 * @author Celeriac team
 */
class MonitorAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, CeleriacAutoConfiguration.class,
				ResultStoreAutoConfiguration.class, TaskAutoConfiguration.class, MonitorAutoConfiguration.class))
		.withPropertyValues("celeriac.result.type=memory");

	@Test
	void theMonitorIsOffByDefault() {
		this.contextRunner.run((context) -> assertThat(context).doesNotHaveBean(TaskMonitor.class));
	}

	@Test
	void enabledWithoutADatabaseItRecordsInMemoryEveryTaskSent() {
		this.contextRunner.withPropertyValues("celeriac.monitor.enabled=true").run((context) -> {
			TaskRecordStore store = context.getBean(TaskRecordStore.class);
			assertThat(store).isInstanceOf(InMemoryTaskRecordStore.class);
			TaskHandle<Object> handle = context.getBean(TaskClient.class)
				.send("reports.generate", List.of(1), Map.of(), TaskOptions.defaults(), Object.class);
			await().atMost(Duration.ofSeconds(10)).until(() -> store.find(handle.id()).isPresent());
			assertThat(store.find(handle.id()).orElseThrow().routingKey()).isEqualTo("reports");
		});
	}

	@Test
	void withADataSourceTheTaskTableIsCreatedInIt() {
		this.contextRunner.withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class))
			.withPropertyValues("celeriac.monitor.enabled=true",
					"spring.datasource.url=jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1")
			.run((context) -> {
				assertThat(context).getBean(TaskRecordStore.class).isInstanceOf(JdbcTaskRecordStore.class);
				assertThat(new JdbcTemplate(context.getBean(DataSource.class))
					.queryForObject("SELECT count(*) FROM celeriac_task", Integer.class)).isZero();
			});
	}

	@Test
	void withoutSpringJdbcTheTaskTableIsInMemory() {
		this.contextRunner.withPropertyValues("celeriac.monitor.enabled=true")
			.withClassLoader(new FilteredClassLoader(JdbcTemplate.class))
			.run((context) -> assertThat(context).getBean(TaskRecordStore.class)
				.isInstanceOf(InMemoryTaskRecordStore.class));
	}

	@Test
	void aUserStoreWins() {
		this.contextRunner.withPropertyValues("celeriac.monitor.enabled=true")
			.withUserConfiguration(UserStoreConfiguration.class)
			.run((context) -> assertThat(context).getBean(TaskRecordStore.class)
				.isSameAs(context.getBean(UserStoreConfiguration.class).store));
	}

	@Test
	void withResultsInTheTaskTablesDatabaseTheHistoryJoinsBothTables() {
		this.contextRunner.withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class))
			.withPropertyValues("celeriac.monitor.enabled=true", "celeriac.result.type=jdbc",
					"spring.datasource.url=jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1")
			.run((context) -> {
				TaskHistory history = context.getBean(TaskHistory.class);
				assertThat(history).isInstanceOf(JdbcTaskHistory.class);
				TaskHandle<Object> handle = context.getBean(TaskClient.class)
					.send("reports.generate", List.of(1), Map.of(), TaskOptions.defaults(), Object.class);
				await().atMost(Duration.ofSeconds(10))
					.until(() -> !history.search(TaskQuery.recent(10)).tasks().isEmpty());
				assertThat(history.search(TaskQuery.recent(10)).tasks())
					.extracting(TaskSummary::taskId, TaskSummary::state)
					.containsExactly(tuple(handle.id(), TaskState.PENDING));
				context.getBean(ResultStore.class)
					.save(new TaskResult(handle.id(), TaskState.SUCCESS, null, null, "reports.generate", null, null,
							"worker@host", 0, "reports", null));
				await().atMost(Duration.ofSeconds(10))
					.until(() -> history.find(handle.id()).orElseThrow().result() != null);
				assertThat(history.search(TaskQuery.recent(10)).tasks().get(0).state()).isEqualTo(TaskState.SUCCESS);
			});
	}

	@Test
	void withResultsElsewhereTheHistoryReadsTheResultStore() {
		this.contextRunner.withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class))
			.withPropertyValues("celeriac.monitor.enabled=true",
					"spring.datasource.url=jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1")
			.run((context) -> assertThat(context).getBean(TaskHistory.class).isInstanceOf(CompositeTaskHistory.class));
	}

	@Test
	void withResultsInAnotherDatabaseTheHistoryReadsTheResultStore() {
		this.contextRunner.withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class))
			.withPropertyValues("celeriac.monitor.enabled=true", "celeriac.result.type=jdbc",
					"spring.datasource.url=jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1",
					"celeriac.result.datasource.url=jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1")
			.run((context) -> assertThat(context).getBean(TaskHistory.class).isInstanceOf(CompositeTaskHistory.class));
	}

	@Test
	void withoutADatabaseTheHistoryIsInMemory() {
		this.contextRunner.withPropertyValues("celeriac.monitor.enabled=true").run((context) -> {
			assertThat(context).getBean(TaskHistory.class).isInstanceOf(CompositeTaskHistory.class);
			TaskHandle<Object> handle = context.getBean(TaskClient.class)
				.send("reports.generate", List.of(1), Map.of(), TaskOptions.defaults(), Object.class);
			await().atMost(Duration.ofSeconds(10))
				.until(() -> context.getBean(TaskHistory.class).find(handle.id()).isPresent());
		});
	}

	@Test
	void withoutSpringJdbcTheHistoryIsTheComposite() {
		this.contextRunner.withPropertyValues("celeriac.monitor.enabled=true")
			.withClassLoader(new FilteredClassLoader(JdbcTemplate.class))
			.run((context) -> assertThat(context).getBean(TaskHistory.class).isInstanceOf(CompositeTaskHistory.class));
	}

	@Test
	void withoutTheMonitorThereIsNoHistory() {
		this.contextRunner.run((context) -> assertThat(context).doesNotHaveBean(TaskHistory.class));
	}

	@Test
	void aUserHistoryWins() {
		this.contextRunner.withPropertyValues("celeriac.monitor.enabled=true")
			.withUserConfiguration(UserHistoryConfiguration.class)
			.run((context) -> assertThat(context).getBean(TaskHistory.class)
				.isSameAs(context.getBean(UserHistoryConfiguration.class).history));
	}

	@Configuration(proxyBeanMethods = false)
	static class UserHistoryConfiguration {

		final TaskHistory history = new CompositeTaskHistory(new InMemoryTaskRecordStore(), new InMemoryResultStore());

		@Bean
		TaskHistory myTaskHistory() {
			return this.history;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserStoreConfiguration {

		final InMemoryTaskRecordStore store = new InMemoryTaskRecordStore();

		@Bean
		TaskRecordStore myTaskRecordStore() {
			return this.store;
		}

	}

}
