package io.celeriac.autoconfigure.limit;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

import io.celeriac.autoconfigure.Capability;
import io.celeriac.autoconfigure.CeleriacAutoConfiguration;
import io.celeriac.autoconfigure.redis.RedisProperties;
import io.celeriac.autoconfigure.ConditionalOnBackend;
import io.celeriac.autoconfigure.SingleProcessFallback;
import io.celeriac.limit.Limited;
import io.celeriac.limit.LimitedMethodInterceptor;
import io.celeriac.limit.LimiterDefinition;
import io.celeriac.limit.Limiters;
import io.celeriac.limit.RateLimitDefinition;
import io.celeriac.limit.memory.InMemoryLimiters;
import io.celeriac.limit.redis.RedisLimiters;

import org.springframework.aop.Advisor;
import org.springframework.aop.support.DefaultPointcutAdvisor;
import org.springframework.aop.support.annotation.AnnotationMatchingPointcut;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Role;
import org.springframework.core.Ordered;
import org.springframework.core.env.Environment;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.util.function.SingletonSupplier;

/**
 * {@link EnableAutoConfiguration Auto-configuration} for the {@link Limiters} bean (on
 * Redis or in memory, as {@code celeriac.limiter.type} chooses), with the limiters and
 * rate limiters named under {@code celeriac.limiter}, and for {@link Limited @Limited}
 * methods.
 *
 * @author Celeriac team
 */
@AutoConfiguration(after = CeleriacAutoConfiguration.class)
@ConditionalOnClass(Limiters.class)
@EnableConfigurationProperties({ LimiterProperties.class, RedisProperties.class })
public final class LimiterAutoConfiguration {

	@Bean
	@Role(BeanDefinition.ROLE_INFRASTRUCTURE)
	@ConditionalOnMissingBean(name = "celeriacLimitedAdvisor")
	static Advisor celeriacLimitedAdvisor(ObjectProvider<Limiters> limiters) {
		DefaultPointcutAdvisor advisor = new DefaultPointcutAdvisor(
				new AnnotationMatchingPointcut(null, Limited.class, true),
				new LimitedMethodInterceptor(SingletonSupplier.of(limiters::getObject)));
		advisor.setOrder(Ordered.HIGHEST_PRECEDENCE + 100);
		return advisor;
	}

	static Map<String, LimiterDefinition> limiters(LimiterProperties properties) {
		return convert(properties.getLimiters(), "limiters",
				(definition) -> new LimiterDefinition(definition.getLimit(), definition.getExpires()));
	}

	static Map<String, RateLimitDefinition> rateLimiters(LimiterProperties properties) {
		return convert(properties.getRateLimiters(), "rate-limiters",
				(definition) -> new RateLimitDefinition(definition.getLimit(), definition.getPeriod()));
	}

	private static <P, D> Map<String, D> convert(Map<String, P> configured, String property, Function<P, D> converter) {
		Map<String, D> definitions = new LinkedHashMap<>();
		configured.forEach((name, definition) -> {
			try {
				definitions.put(name, converter.apply(definition));
			}
			catch (IllegalArgumentException ex) {
				throw new IllegalArgumentException(
						"Invalid celeriac.limiter." + property + "." + name + ": " + ex.getMessage(), ex);
			}
		});
		return definitions;
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(RedisConnectionFactory.class)
	@ConditionalOnBackend(capability = Capability.LIMITER, value = "redis")
	static class RedisLimiterConfiguration {

		@Bean
		@ConditionalOnMissingBean(Limiters.class)
		RedisLimiters celeriacLimiters(RedisConnectionFactory connectionFactory, RedisProperties redisProperties,
				LimiterProperties properties) {
			return new RedisLimiters(connectionFactory, redisProperties.getKeyPrefix(), limiters(properties),
					rateLimiters(properties));
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnBackend(capability = Capability.LIMITER, value = "memory")
	static class InMemoryLimiterConfiguration {

		@Bean
		@ConditionalOnMissingBean(Limiters.class)
		InMemoryLimiters celeriacLimiters(LimiterProperties properties, Environment environment,
				ListableBeanFactory beanFactory) {
			SingleProcessFallback.warnBesideRealBroker(Capability.LIMITER, environment, beanFactory,
					"@Limited and Limiters count per process, so a fleet of N processes allows N times each limit");
			return new InMemoryLimiters(limiters(properties), rateLimiters(properties));
		}

	}

}
