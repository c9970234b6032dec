package io.celeriac.autoconfigure.monitor;

import javax.sql.DataSource;

import io.celeriac.autoconfigure.result.ResultProperties;
import io.celeriac.autoconfigure.task.BrokerProperties;
import io.celeriac.autoconfigure.worker.WorkerProperties;
import io.celeriac.autoconfigure.result.ResultDataSource;
import io.celeriac.autoconfigure.task.TaskAutoConfiguration;
import io.celeriac.broker.Broker;
import io.celeriac.broker.ConsumerBackoff;
import io.celeriac.broker.ConsumerSettings;
import io.celeriac.events.EventTransport;
import io.celeriac.monitor.CompositeTaskHistory;
import io.celeriac.monitor.TaskHistory;
import io.celeriac.monitor.TaskEventRecorder;
import io.celeriac.monitor.TaskMonitor;
import io.celeriac.monitor.TaskRecordStore;
import io.celeriac.monitor.jdbc.JdbcTaskHistory;
import io.celeriac.monitor.jdbc.JdbcTaskRecordStore;
import io.celeriac.monitor.memory.InMemoryTaskRecordStore;
import io.celeriac.protocol.CeleryProtocol;
import io.celeriac.result.CeleryResultFormat;
import io.celeriac.result.ResultStore;
import io.celeriac.result.memory.InMemoryResultStore;
import io.celeriac.topology.Topology;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingClass;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * {@link EnableAutoConfiguration Auto-configuration} for the {@link TaskMonitor}, on when
 * {@code celeriac.monitor.enabled=true}: the task table goes in the application's
 * DataSource when it has one (created according to
 * {@code celeriac.monitor.initialize-schema}), in memory otherwise. The
 * {@link TaskHistory} a dashboard reads is a {@link JdbcTaskHistory} when Celery's result
 * table is in the same database as the task table (one query joins them), a
 * {@link CompositeTaskHistory} over the task table and the result store otherwise.
 *
 * @author Celeriac team
 */
@AutoConfiguration(after = TaskAutoConfiguration.class)
@ConditionalOnBean(Broker.class)
@ConditionalOnBooleanProperty("celeriac.monitor.enabled")
@Import({ MonitorAutoConfiguration.Jdbc.class, MonitorAutoConfiguration.InMemory.class })
@EnableConfigurationProperties({ MonitorProperties.class, ResultProperties.class, WorkerProperties.class,
		BrokerProperties.class })
public final class MonitorAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	TaskMonitor celeriacTaskMonitor(Broker broker, Topology topology, CeleryProtocol protocol, TaskRecordStore store,
			MonitorProperties monitor, WorkerProperties workerProperties, BrokerProperties brokerProperties) {
		return new TaskMonitor(broker, topology, protocol, store,
				new ConsumerSettings(monitor.getConcurrency(), monitor.getPrefetch()),
				workerProperties.getShutdownTimeout(), brokerProperties.getConfirmTimeout(),
				ConsumerBackoff.defaults());
	}

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnBooleanProperty("celeriac.monitor.events")
	TaskEventRecorder celeriacTaskEventRecorder(ObjectProvider<EventTransport> transport,
			ObjectProvider<ResultStore> results) {
		EventTransport events = transport.getIfAvailable();
		if (events == null) {
			throw new IllegalStateException("celeriac.monitor.events=true reads Celery's events from RabbitMQ's event "
					+ "exchange, and this application's broker is not RabbitMQ (celeriac.broker.type); "
					+ "set celeriac.monitor.events=false or use the RabbitMQ broker.");
		}
		ResultStore store = results.getIfAvailable();
		if (store == null) {
			throw new IllegalStateException("celeriac.monitor.events=true records task outcomes in the result store, "
					+ "and there is none (celeriac.result.type=none); set celeriac.result.type or "
					+ "celeriac.monitor.events=false.");
		}
		return new TaskEventRecorder(events, store);
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(JdbcTemplate.class)
	static class Jdbc {

		@Bean
		@ConditionalOnMissingBean
		TaskRecordStore celeriacTaskRecordStore(ObjectProvider<DataSource> dataSource, CeleryProtocol protocol,
				MonitorProperties properties, ResultProperties resultProperties) {
			DataSource database = dataSource.getIfUnique();
			if (database == null) {
				return inMemoryTaskRecordStore(properties, resultProperties);
			}
			TaskTableSchemaInitializer initializer = new TaskTableSchemaInitializer(database,
					properties.getInitializeSchema());
			initializer.initializeDatabase();
			return new JdbcTaskRecordStore(database, protocol.mapper());
		}

		@Bean
		@ConditionalOnMissingBean
		TaskHistory celeriacTaskHistory(TaskRecordStore records, ObjectProvider<ResultStore> results,
				ObjectProvider<ResultDataSource> resultDataSource, ObjectProvider<CeleryResultFormat> format,
				CeleryProtocol protocol) {
			ResultDataSource resultDatabase = resultDataSource.getIfAvailable();
			if (records instanceof JdbcTaskRecordStore jdbc && resultDatabase != null
					&& jdbc.getDataSource() == resultDatabase.dataSource()) {
				return new JdbcTaskHistory(jdbc.getDataSource(),
						format.getIfAvailable(() -> new CeleryResultFormat(protocol.mapper())));
			}
			return compositeTaskHistory(records, results);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnMissingClass("org.springframework.jdbc.core.JdbcTemplate")
	static class InMemory {

		@Bean
		@ConditionalOnMissingBean
		TaskRecordStore celeriacTaskRecordStore(MonitorProperties properties, ResultProperties resultProperties) {
			return inMemoryTaskRecordStore(properties, resultProperties);
		}

		@Bean
		@ConditionalOnMissingBean
		TaskHistory celeriacTaskHistory(TaskRecordStore records, ObjectProvider<ResultStore> results) {
			return compositeTaskHistory(records, results);
		}

	}

	private static TaskHistory compositeTaskHistory(TaskRecordStore records, ObjectProvider<ResultStore> results) {
		// without a result store no task has a known state: all are PENDING, as Celery
		// reports unknown ids
		return new CompositeTaskHistory(records, results.getIfAvailable(InMemoryResultStore::new));
	}

	private static InMemoryTaskRecordStore inMemoryTaskRecordStore(MonitorProperties monitorProperties,
			ResultProperties resultProperties) {
		return new InMemoryTaskRecordStore(resultProperties.getExpires(), monitorProperties.getMemoryMaxEntries());
	}

}
