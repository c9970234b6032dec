package io.celeriac.autoconfigure.result;

import java.time.Duration;

import javax.sql.DataSource;

import io.celeriac.autoconfigure.Capability;
import io.celeriac.autoconfigure.CeleriacAutoConfiguration;
import io.celeriac.autoconfigure.ConditionalOnBackend;
import io.celeriac.autoconfigure.SingleProcessFallback;
import io.celeriac.result.BatchingResultStore;
import io.celeriac.result.CeleryResultFormat;
import io.celeriac.result.ResultChannel;
import io.celeriac.result.ResultStore;
import io.celeriac.result.ResultWatcher;
import io.celeriac.result.jdbc.JdbcResultStore;
import io.celeriac.result.memory.InMemoryResultStore;
import io.celeriac.result.redis.RedisResultChannel;
import io.celeriac.result.redis.RedisResultStore;
import net.razorvine.pickle.Pickler;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.jdbc.DataSourceBuilder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.Environment;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * {@link EnableAutoConfiguration Auto-configuration} for the {@link ResultStore} that
 * workers record task outcomes in, chosen by {@code celeriac.result.type}.
 *
 * @author Celeriac team
 */
@AutoConfiguration(after = CeleriacAutoConfiguration.class)
@Import({ ResultStoreAutoConfiguration.Jdbc.class, ResultStoreAutoConfiguration.Redis.class,
		ResultStoreAutoConfiguration.InMemory.class })
@EnableConfigurationProperties(ResultProperties.class)
public final class ResultStoreAutoConfiguration {

	@Bean
	@ConditionalOnBean(ResultStore.class)
	@ConditionalOnMissingBean
	ResultWatcher celeriacResultWatcher(ResultStore store, ObjectProvider<ResultChannel> channel) {
		ResultChannel notifications = channel.getIfUnique();
		// told when results are saved, the watcher reads the store only now and then
		// besides
		return (notifications != null) ? new ResultWatcher(store, notifications, Duration.ofSeconds(1))
				: new ResultWatcher(store);
	}

	@Bean
	@ConditionalOnMissingBean
	CeleryResultFormat celeriacResultFormat(ObjectProvider<JsonMapper> jsonMapper) {
		return new CeleryResultFormat(jsonMapper.getIfAvailable(JsonMapper::new));
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnBackend(capability = Capability.RESULT, value = "jdbc")
	@ConditionalOnClass({ JdbcTemplate.class, Pickler.class })
	static class Jdbc {

		@Bean
		@ConditionalOnMissingBean
		ResultDataSource celeriacResultDataSource(ResultProperties properties, ObjectProvider<DataSource> dataSource) {
			ResultProperties.Datasource own = properties.getDatasource();
			if (own.getUrl() != null) {
				return new ResultDataSource(DataSourceBuilder.create()
					.url(own.getUrl())
					.username(own.getUsername())
					.password(own.getPassword())
					.build(), true);
			}
			DataSource application = dataSource.getIfUnique();
			if (application == null) {
				throw new IllegalStateException("The JDBC result store (celeriac.result.type=jdbc) needs a database: "
						+ "configure spring.datasource.url or celeriac.result.datasource.url, or choose another "
						+ "celeriac.result.type");
			}
			return new ResultDataSource(application, false);
		}

		@Bean
		@ConditionalOnMissingBean
		ResultStoreSchemaInitializer celeriacResultStoreSchemaInitializer(ResultDataSource dataSource,
				ResultProperties properties) {
			return new ResultStoreSchemaInitializer(dataSource.dataSource(), properties.getInitializeSchema());
		}

		@Bean
		@ConditionalOnMissingBean
		ResultStore celeriacResultStore(ResultDataSource dataSource, CeleryResultFormat format, ResultProperties result,
				ObjectProvider<ResultStoreSchemaInitializer> initializer) {
			// the tables exist before the first worker writes
			initializer.ifAvailable((schema) -> {
			});
			JdbcResultStore store = new JdbcResultStore(dataSource.dataSource(), format);
			return (result.getBatchSize() > 1) ? new BatchingResultStore(store, result.getBatchSize(), 1,
					result.getWriteTimeout(), result.getQueueCapacity()) : store;
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnBackend(capability = Capability.RESULT, value = "redis")
	@ConditionalOnClass(RedisConnectionFactory.class)
	static class Redis {

		@Bean
		@ConditionalOnMissingBean
		ResultStore celeriacResultStore(RedisConnectionFactory connectionFactory, CeleryResultFormat format,
				ResultProperties properties) {
			return new RedisResultStore(connectionFactory, format, properties.getRedisKeyPrefix(),
					properties.getExpires());
		}

		@Bean
		@ConditionalOnMissingBean
		ResultChannel celeriacResultChannel(RedisConnectionFactory connectionFactory, ResultProperties properties) {
			return new RedisResultChannel(connectionFactory, properties.getRedisKeyPrefix());
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnBackend(capability = Capability.RESULT, value = "memory")
	static class InMemory {

		@Bean
		@ConditionalOnMissingBean
		ResultStore celeriacResultStore(Environment environment, ListableBeanFactory beanFactory,
				ResultProperties properties) {
			SingleProcessFallback.warnBesideRealBroker(Capability.RESULT, environment, beanFactory,
					"a result recorded by a worker is seen only by that worker's process (not by the producer "
							+ "waiting on it in another process, nor by Python Celery) and is lost when it stops");
			return new InMemoryResultStore(properties.getExpires(), properties.getMemoryMaxEntries());
		}

	}

}
