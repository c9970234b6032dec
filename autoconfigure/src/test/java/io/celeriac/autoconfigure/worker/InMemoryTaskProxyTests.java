package io.celeriac.autoconfigure.worker;

import io.celeriac.autoconfigure.CeleriacAutoConfiguration;
import io.celeriac.autoconfigure.cache.CacheRegionAutoConfiguration;
import io.celeriac.autoconfigure.delay.DelayedTaskAutoConfiguration;
import io.celeriac.autoconfigure.limit.LimiterAutoConfiguration;
import io.celeriac.autoconfigure.lock.LockAutoConfiguration;
import io.celeriac.autoconfigure.result.ResultStoreAutoConfiguration;
import io.celeriac.autoconfigure.task.TaskAutoConfiguration;
import io.celeriac.broker.memory.InMemoryBroker;
import io.celeriac.lock.memory.InMemoryDistributedLock;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.JdbcTemplateAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.transaction.autoconfigure.TransactionAutoConfiguration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link TaskProxyTests} on the in-memory default: in-memory broker, locks, delayed task
 * store and results, with transactions on an embedded H2 database.
 *
 * @author Celeriac team
 */
class InMemoryTaskProxyTests extends TaskProxyTests {

	@Override
	ApplicationContextRunner runner(String name) {
		return new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, AopAutoConfiguration.class,
					DataSourceAutoConfiguration.class, DataSourceTransactionManagerAutoConfiguration.class,
					TransactionAutoConfiguration.class, JdbcTemplateAutoConfiguration.class,
					CeleriacAutoConfiguration.class, ResultStoreAutoConfiguration.class, TaskAutoConfiguration.class,
					DelayedTaskAutoConfiguration.class, LockAutoConfiguration.class, LimiterAutoConfiguration.class,
					CacheRegionAutoConfiguration.class, WorkerAutoConfiguration.class))
			.withBean(ProxiedTasks.class)
			.withPropertyValues("celeriac.worker.refusal.countdown=200ms", "celeriac.cache.regions.proxied.expires=60s",
					"celeriac.limiter.limiters.proxied.limit=1", "celeriac.limiter.limiters.proxied.expires=1m",
					"celeriac.worker.concurrency=2");
	}

	@Test
	void theBackendsAreInMemory() {
		runner("backends").run((context) -> {
			assertThat(context).getBean(io.celeriac.broker.Broker.class).isInstanceOf(InMemoryBroker.class);
			assertThat(context).getBean(io.celeriac.lock.DistributedLock.class)
				.isInstanceOf(InMemoryDistributedLock.class);
		});
	}

}
