package io.celeriac.autoconfigure.schedule;

import java.time.Clock;
import java.time.DateTimeException;
import java.time.ZoneId;

import javax.sql.DataSource;

import io.celeriac.autoconfigure.Capability;
import io.celeriac.autoconfigure.CeleriacAutoConfiguration;
import io.celeriac.autoconfigure.CeleriacBackends;
import io.celeriac.autoconfigure.redis.RedisProperties;
import io.celeriac.autoconfigure.ConditionalOnBackend;
import io.celeriac.autoconfigure.task.TaskAutoConfiguration;
import io.celeriac.schedule.Recurrence;
import io.celeriac.schedule.Recurring;
import io.celeriac.schedule.RecurringBeanPostProcessor;
import io.celeriac.schedule.RecurringSchedule;
import io.celeriac.schedule.RecurringTaskScheduler;
import io.celeriac.schedule.ScheduleStore;
import io.celeriac.schedule.Schedules;
import io.celeriac.schedule.jdbc.JdbcScheduleStore;
import io.celeriac.schedule.memory.InMemoryScheduleStore;
import io.celeriac.schedule.redis.RedisScheduleStore;
import io.celeriac.task.TaskClient;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Role;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.util.StringUtils;

/**
 * {@link EnableAutoConfiguration Auto-configuration} for recurring tasks: the schedules
 * of {@link Recurring @Recurring} methods and of {@code celeriac.schedules.<name>}
 * entries, the {@link ScheduleStore} chosen by {@code celeriac.recurring.type}, and the
 * {@link RecurringTaskScheduler} that publishes their ticks (on unless
 * {@code celeriac.recurring.enabled=false}).
 *
 * @author Celeriac team
 */
@AutoConfiguration(after = { CeleriacAutoConfiguration.class, TaskAutoConfiguration.class },
		afterName = { "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration",
				"org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration" })
@ConditionalOnClass(RecurringTaskScheduler.class)
@Import({ RecurringTaskAutoConfiguration.InMemory.class, RecurringTaskAutoConfiguration.Redis.class,
		RecurringTaskAutoConfiguration.Jdbc.class })
@EnableConfigurationProperties({ RecurringProperties.class, RedisProperties.class, SchedulesProperties.class })
public final class RecurringTaskAutoConfiguration {

	private static final Log logger = LogFactory.getLog(RecurringTaskAutoConfiguration.class);

	@Bean
	@ConditionalOnMissingBean
	@Role(BeanDefinition.ROLE_INFRASTRUCTURE)
	static Schedules celeriacSchedules() {
		return new Schedules();
	}

	@Bean
	@ConditionalOnMissingBean
	@Role(BeanDefinition.ROLE_INFRASTRUCTURE)
	static RecurringBeanPostProcessor celeriacRecurringBeanPostProcessor(Schedules celeriacSchedules) {
		return new RecurringBeanPostProcessor(celeriacSchedules);
	}

	@Bean
	@ConditionalOnBean({ TaskClient.class, ScheduleStore.class })
	@ConditionalOnBooleanProperty(name = "celeriac.recurring.enabled", matchIfMissing = true)
	@ConditionalOnMissingBean
	RecurringTaskScheduler celeriacRecurringTaskScheduler(ScheduleStore store, Schedules schedules, TaskClient client,
			RecurringProperties recurring, SchedulesProperties schedulesProperties,
			ObjectProvider<CeleriacBackends> backends) {
		schedulesProperties.getSchedules().forEach((name, schedule) -> schedules.register(schedule(name, schedule)));
		CeleriacBackends chosen = backends.getIfAvailable();
		if (store instanceof InMemoryScheduleStore && !schedules.all().isEmpty() && chosen != null
				&& !"MEMORY".equals(chosen.of(Capability.BROKER).name())) {
			logger.warn("Recurring tasks claim their ticks in memory beside a shared broker: every instance of this "
					+ "application publishes every tick. Set celeriac.recurring.type=redis or jdbc");
		}
		return new RecurringTaskScheduler(store, schedules, client,
				new RecurringTaskScheduler.Settings(recurring.getMisfireThreshold(), recurring.getPollInterval()),
				Clock.systemUTC());
	}

	/**
	 * Turns a {@code celeriac.schedules.<name>} entry into a schedule, naming the
	 * property to change when it is not valid.
	 */
	static RecurringSchedule schedule(String name, SchedulesProperties.Schedule schedule) {
		String prefix = "celeriac.schedules." + name + ".";
		if (!StringUtils.hasText(schedule.getTask())) {
			throw new InvalidConfigurationPropertyValueException(prefix + "task", schedule.getTask(),
					"Name the task each tick sends, e.g. reports.generate");
		}
		boolean cron = StringUtils.hasText(schedule.getCron());
		if (cron == (schedule.getEvery() != null)) {
			throw new InvalidConfigurationPropertyValueException(prefix + (cron ? "every" : "cron"),
					cron ? schedule.getEvery() : null, "Set exactly one of " + prefix + "cron and " + prefix + "every");
		}
		Recurrence recurrence;
		if (cron) {
			ZoneId zone;
			try {
				zone = ZoneId.of(schedule.getZone().trim());
			}
			catch (DateTimeException ex) {
				throw new InvalidConfigurationPropertyValueException(prefix + "zone", schedule.getZone(),
						"Not a time zone (" + ex.getMessage() + "); use e.g. UTC or Europe/Paris");
			}
			try {
				recurrence = Recurrence.cron(schedule.getCron(), zone);
			}
			catch (IllegalArgumentException ex) {
				throw new InvalidConfigurationPropertyValueException(prefix + "cron", schedule.getCron(),
						"Not a cron expression (" + ex.getMessage() + "); use six fields with seconds, e.g. "
								+ "\"0 */5 * * * *\"");
			}
		}
		else {
			try {
				recurrence = Recurrence.every(schedule.getEvery());
			}
			catch (IllegalArgumentException ex) {
				throw new InvalidConfigurationPropertyValueException(prefix + "every", schedule.getEvery(),
						ex.getMessage());
			}
		}
		if (schedule.getPriority() < 0 || schedule.getPriority() > 255) {
			throw new InvalidConfigurationPropertyValueException(prefix + "priority", schedule.getPriority(),
					"A priority is between 0 and 255");
		}
		try {
			return new RecurringSchedule(name, schedule.getTask().trim(), recurrence, schedule.getArgs(),
					schedule.getKwargs(), schedule.getRoutingKey(), schedule.getPriority(), schedule.getExpires(),
					schedule.getMissedTicks());
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidConfigurationPropertyValueException("celeriac.schedules", name, ex.getMessage());
		}
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnBackend(capability = Capability.RECURRING, value = "memory")
	static class InMemory {

		@Bean
		@ConditionalOnMissingBean
		ScheduleStore celeriacScheduleStore() {
			return new InMemoryScheduleStore();
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(RedisConnectionFactory.class)
	@ConditionalOnBackend(capability = Capability.RECURRING, value = "redis")
	static class Redis {

		@Bean
		@ConditionalOnBean(RedisConnectionFactory.class)
		@ConditionalOnMissingBean
		ScheduleStore celeriacScheduleStore(RedisConnectionFactory connectionFactory, RedisProperties properties) {
			return new RedisScheduleStore(connectionFactory, properties.getKeyPrefix());
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(JdbcTemplate.class)
	@ConditionalOnBackend(capability = Capability.RECURRING, value = "jdbc")
	static class Jdbc {

		@Bean
		@ConditionalOnMissingBean
		ScheduleStore celeriacScheduleStore(ObjectProvider<DataSource> dataSource, RecurringProperties properties) {
			DataSource database = dataSource.getIfUnique();
			if (database == null) {
				throw new InvalidConfigurationPropertyValueException("celeriac.recurring.type", "jdbc",
						"The JDBC schedule store needs the application's database: configure spring.datasource.url, "
								+ "or choose celeriac.recurring.type=redis or memory");
			}
			new ScheduleTableSchemaInitializer(database, properties.getInitializeSchema()).initializeDatabase();
			return new JdbcScheduleStore(database);
		}

	}

}
