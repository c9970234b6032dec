package io.celeriac.autoconfigure;

import io.celeriac.autoconfigure.compatibility.CompatibilityProperties;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * {@link EnableAutoConfiguration Auto-configuration} for what every Celeriac capability
 * shares: the choice of backends (each capability's auto-configuration binds its own
 * properties). Ordered after Spring Boot's RabbitMQ, Redis and DataSource
 * auto-configurations, whose beans the capabilities use.
 *
 * @author Celeriac team
 */
@AutoConfiguration(afterName = { "org.springframework.boot.amqp.autoconfigure.RabbitAutoConfiguration",
		"org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration",
		"org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration" })
@EnableConfigurationProperties(CompatibilityProperties.class)
public final class CeleriacAutoConfiguration {

	private static final Log logger = LogFactory.getLog(CeleriacAutoConfiguration.class);

	@Bean
	@ConditionalOnMissingBean
	CeleriacBackends celeriacBackends(Environment environment, ListableBeanFactory beanFactory) {
		CeleriacBackends backends = CeleriacBackends.resolve(environment, beanFactory);
		logger.info("Celeriac backends: " + backends);
		return backends;
	}

}
