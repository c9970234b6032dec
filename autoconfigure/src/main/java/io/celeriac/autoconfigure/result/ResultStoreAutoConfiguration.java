package io.celeriac.autoconfigure.result;

import io.celeriac.autoconfigure.Capability;
import io.celeriac.autoconfigure.CeleriacAutoConfiguration;
import io.celeriac.autoconfigure.ConditionalOnBackend;
import io.celeriac.result.ResultStore;
import io.celeriac.result.ResultWatcher;
import io.celeriac.result.memory.InMemoryResultStore;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/**
 * {@link EnableAutoConfiguration Auto-configuration} for the {@link ResultStore} that
 * workers record task outcomes in, chosen by {@code celeriac.result.type}.
 *
 * @author Celeriac team
 */
@AutoConfiguration(after = CeleriacAutoConfiguration.class)
@Import({ ResultStoreAutoConfiguration.NotYetAvailable.class, ResultStoreAutoConfiguration.InMemory.class })
public final class ResultStoreAutoConfiguration {

	@Bean
	@ConditionalOnBean(ResultStore.class)
	@ConditionalOnMissingBean
	ResultWatcher celeriacResultWatcher(ResultStore store) {
		return new ResultWatcher(store);
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnBackend(capability = Capability.RESULT, value = "memory")
	static class InMemory {

		@Bean
		@ConditionalOnMissingBean
		ResultStore celeriacResultStore() {
			return new InMemoryResultStore();
		}

	}

	/**
	 * The JDBC and Redis result stores are not part of this version. An application that
	 * selects them, explicitly or by configuring a DataSource URL, is told so at startup
	 * rather than silently losing results.
	 */
	@Configuration(proxyBeanMethods = false)
	static class NotYetAvailable {

		@Bean
		@ConditionalOnBackend(capability = Capability.RESULT, value = "jdbc")
		@ConditionalOnMissingBean
		ResultStore celeriacJdbcResultStore() {
			throw notAvailable("jdbc");
		}

		@Bean
		@ConditionalOnBackend(capability = Capability.RESULT, value = "redis")
		@ConditionalOnMissingBean
		ResultStore celeriacRedisResultStore() {
			throw notAvailable("redis");
		}

		private static IllegalStateException notAvailable(String type) {
			return new IllegalStateException("The " + type + " result store is not available in this version of "
					+ "Celeriac (celeriac.result.type=" + type + ", chosen explicitly or because its server is "
					+ "configured). Set celeriac.result.type to memory or none, or define a ResultStore bean.");
		}

	}

}
