package io.celeriac.test.monitor;

import java.time.Duration;

import javax.sql.DataSource;

import io.celeriac.monitor.CompositeTaskHistory;
import io.celeriac.monitor.TaskHistory;
import io.celeriac.monitor.TaskRecordStore;
import io.celeriac.monitor.jdbc.JdbcTaskRecordStore;
import io.celeriac.result.CeleryResultFormat;
import io.celeriac.result.ResultStore;
import io.celeriac.result.redis.RedisResultStore;
import io.celeriac.test.services.PostgresEndpoint;
import io.celeriac.test.services.RealServices;
import io.celeriac.test.services.RedisEndpoint;
import io.celeriac.test.services.ServiceIsolation;
import org.junit.jupiter.api.AfterEach;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.core.io.ClassPathResource;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.jdbc.datasource.init.ResourceDatabasePopulator;

/**
 * The task history contract for the {@link CompositeTaskHistory} over the monitor's table
 * in PostgreSQL and results in Redis, the stores an application with a Redis result
 * backend combines.
 *
 * @author Celeriac team
 */
@RealServices
class PostgresRedisTaskHistoryTests extends TaskHistoryContractTests {

	private final LettuceConnectionFactory connectionFactory;

	private final JdbcTaskRecordStore records;

	private final RedisResultStore results;

	private final CompositeTaskHistory history;

	PostgresRedisTaskHistoryTests(PostgresEndpoint postgres, RedisEndpoint redis, ServiceIsolation isolation) {
		DataSource dataSource = new DriverManagerDataSource(isolation.jdbcUrl(), postgres.username(),
				postgres.password());
		new ResourceDatabasePopulator(new ClassPathResource("io/celeriac/monitor/jdbc/schema-postgresql.sql"))
			.execute(dataSource);
		this.connectionFactory = new LettuceConnectionFactory(
				new RedisStandaloneConfiguration(redis.host(), redis.port()));
		this.connectionFactory.afterPropertiesSet();
		CeleryResultFormat format = new CeleryResultFormat(new JsonMapper());
		this.records = new JdbcTaskRecordStore(dataSource, format.mapper());
		this.results = new RedisResultStore(this.connectionFactory, format, isolation.redisKeyPrefix(),
				Duration.ofMinutes(5));
		this.history = new CompositeTaskHistory(this.records, this.results);
	}

	@AfterEach
	void disconnect() {
		this.connectionFactory.destroy();
	}

	@Override
	protected TaskHistory history() {
		return this.history;
	}

	@Override
	protected TaskHistory history(int stateScanLimit) {
		return new CompositeTaskHistory(this.records, this.results, stateScanLimit, 100);
	}

	@Override
	protected TaskRecordStore records() {
		return this.records;
	}

	@Override
	protected ResultStore results() {
		return this.results;
	}

}
