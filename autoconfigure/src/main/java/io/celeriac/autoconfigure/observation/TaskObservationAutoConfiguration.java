package io.celeriac.autoconfigure.observation;

import io.celeriac.observation.ObservationTaskInterceptor;
import io.celeriac.observation.TaskProcessObservationConvention;
import io.micrometer.observation.ObservationRegistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * {@link EnableAutoConfiguration Auto-configuration} for observing tasks on the worker:
 * when an {@link ObservationRegistry} bean exists, each task runs in a
 * {@code celeriac.task.process} observation that continues the producer's trace. (The
 * producer's {@code celeriac.task.publish} observation is wired into the task client by
 * {@code TaskAutoConfiguration}, with the same registry.)
 *
 * @author Celeriac team
 */
@AutoConfiguration(
		afterName = "org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration")
@ConditionalOnClass(ObservationRegistry.class)
@ConditionalOnBean(ObservationRegistry.class)
public final class TaskObservationAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	ObservationTaskInterceptor celeriacObservationTaskInterceptor(ObservationRegistry observationRegistry,
			ObjectProvider<TaskProcessObservationConvention> observationConvention) {
		return new ObservationTaskInterceptor(observationRegistry, observationConvention.getIfUnique());
	}

}
