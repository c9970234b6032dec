package io.celeriac.autoconfigure.lock;

import io.celeriac.autoconfigure.Capability;
import io.celeriac.autoconfigure.CeleriacAutoConfiguration;
import io.celeriac.autoconfigure.redis.RedisProperties;
import io.celeriac.autoconfigure.ConditionalOnBackend;
import io.celeriac.autoconfigure.SingleProcessFallback;
import io.celeriac.lock.DistributedLock;
import io.celeriac.lock.LockDefaults;
import io.celeriac.lock.Locked;
import io.celeriac.lock.LockedMethodInterceptor;
import io.celeriac.lock.memory.InMemoryDistributedLock;
import io.celeriac.lock.redis.RedisDistributedLock;

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
 * {@link EnableAutoConfiguration Auto-configuration} for the {@link DistributedLock} bean
 * (on Redis or in memory, as {@code celeriac.lock.type} chooses) and for
 * {@link Locked @Locked} methods.
 *
 * @author Celeriac team
 */
@AutoConfiguration(after = CeleriacAutoConfiguration.class)
@ConditionalOnClass(DistributedLock.class)
@EnableConfigurationProperties({ LockProperties.class, RedisProperties.class })
public final class LockAutoConfiguration {

	/**
	 * Before transactions and other advice, so that a lock is held for the whole
	 * transaction, commit included.
	 */
	static final int ADVISOR_ORDER = Ordered.HIGHEST_PRECEDENCE + 100;

	@Bean
	@Role(BeanDefinition.ROLE_INFRASTRUCTURE)
	@ConditionalOnMissingBean(name = "celeriacLockedAdvisor")
	static Advisor celeriacLockedAdvisor(ObjectProvider<DistributedLock> locks,
			ObjectProvider<LockProperties> properties) {
		LockedMethodInterceptor interceptor = new LockedMethodInterceptor(SingletonSupplier.of(locks::getObject),
				SingletonSupplier.of(() -> {
					LockProperties lock = properties.getObject();
					return new LockDefaults(lock.getDefaultExpires(), lock.getDefaultTimeout(), lock.isWatchdog());
				}));
		DefaultPointcutAdvisor advisor = new DefaultPointcutAdvisor(
				new AnnotationMatchingPointcut(null, Locked.class, true), interceptor);
		advisor.setOrder(ADVISOR_ORDER);
		return advisor;
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(RedisConnectionFactory.class)
	@ConditionalOnBackend(capability = Capability.LOCK, value = "redis")
	static class RedisLockConfiguration {

		@Bean
		@ConditionalOnMissingBean(DistributedLock.class)
		RedisDistributedLock celeriacDistributedLock(RedisConnectionFactory connectionFactory,
				RedisProperties properties) {
			return new RedisDistributedLock(connectionFactory, properties.getKeyPrefix());
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnBackend(capability = Capability.LOCK, value = "memory")
	static class InMemoryLockConfiguration {

		@Bean
		@ConditionalOnMissingBean(DistributedLock.class)
		InMemoryDistributedLock celeriacDistributedLock(Environment environment, ListableBeanFactory beanFactory) {
			SingleProcessFallback.warnBesideRealBroker(Capability.LOCK, environment, beanFactory,
					"@Locked and DistributedLock exclude nothing across processes");
			return new InMemoryDistributedLock();
		}

	}

}
