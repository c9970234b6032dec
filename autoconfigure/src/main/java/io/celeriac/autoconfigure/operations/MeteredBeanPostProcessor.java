package io.celeriac.autoconfigure.operations;

import io.celeriac.broker.Broker;
import io.celeriac.limit.Limiters;
import io.celeriac.lock.DistributedLock;
import io.celeriac.operations.MeteredBroker;
import io.celeriac.operations.MeteredDistributedLock;
import io.celeriac.operations.MeteredLimiters;
import io.celeriac.operations.MeteredResultStore;
import io.celeriac.result.ResultStore;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;

/**
 * Wraps the {@link Broker}, the {@link ResultStore}, the {@link DistributedLock} and the
 * {@link Limiters}, ours or the application's, in their metered decorators when a single
 * {@link MeterRegistry} is available, so that what uses them (the worker, the task
 * client, {@code @Locked} and {@code @Limited} methods) is measured without knowing it.
 *
 * @author Celeriac team
 */
class MeteredBeanPostProcessor implements BeanPostProcessor {

	private final ObjectProvider<MeterRegistry> registry;

	MeteredBeanPostProcessor(ObjectProvider<MeterRegistry> registry) {
		this.registry = registry;
	}

	@Override
	public Object postProcessAfterInitialization(Object bean, String beanName) {
		if (bean instanceof Broker broker && !(bean instanceof MeteredBroker)) {
			MeterRegistry meters = this.registry.getIfUnique();
			return (meters != null) ? new MeteredBroker(broker, meters) : bean;
		}
		if (bean instanceof ResultStore store && !(bean instanceof MeteredResultStore)) {
			MeterRegistry meters = this.registry.getIfUnique();
			return (meters != null) ? new MeteredResultStore(store, meters) : bean;
		}
		if (bean instanceof DistributedLock lock && !(bean instanceof MeteredDistributedLock)) {
			MeterRegistry meters = this.registry.getIfUnique();
			return (meters != null) ? new MeteredDistributedLock(lock, meters) : bean;
		}
		if (bean instanceof Limiters limiters && !(bean instanceof MeteredLimiters)) {
			MeterRegistry meters = this.registry.getIfUnique();
			return (meters != null) ? new MeteredLimiters(limiters, meters) : bean;
		}
		return bean;
	}

}
