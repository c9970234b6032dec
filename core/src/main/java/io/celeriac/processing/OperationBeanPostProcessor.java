package io.celeriac.processing;

import java.lang.reflect.Method;
import java.util.Map;

import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.BeanInitializationException;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.core.MethodIntrospector;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.util.ReflectionUtils;

/**
 * Registers the {@link Operation} and {@link OperationCallback} methods of every bean,
 * and once every singleton exists checks that each callback has its operation. The
 * methods are invoked on the bean as the container holds it, so other proxies (such as
 * transactions) apply.
 *
 * @author Celeriac team
 */
public class OperationBeanPostProcessor implements BeanPostProcessor, SmartInitializingSingleton {

	private final OperationRegistry registry;

	/**
	 * Creates the post-processor.
	 * @param registry where the methods are registered
	 */
	public OperationBeanPostProcessor(OperationRegistry registry) {
		this.registry = registry;
	}

	@Override
	public Object postProcessAfterInitialization(Object bean, String beanName) {
		Class<?> targetClass = AopUtils.getTargetClass(bean);
		Map<Method, Operation> operations = MethodIntrospector.selectMethods(targetClass,
				(MethodIntrospector.MetadataLookup<Operation>) (method) -> AnnotatedElementUtils
					.findMergedAnnotation(method, Operation.class));
		Map<Method, OperationCallback> callbacks = MethodIntrospector.selectMethods(targetClass,
				(MethodIntrospector.MetadataLookup<OperationCallback>) (method) -> AnnotatedElementUtils
					.findMergedAnnotation(method, OperationCallback.class));
		try {
			operations.forEach((method, operation) -> this.registry
				.register(new OperationMethod(operation.value(), bean, invocable(method, bean))));
			callbacks.forEach((method, callback) -> this.registry
				.register(new CallbackMethod(callback.value(), bean, invocable(method, bean))));
		}
		catch (OperationConfigurationException ex) {
			throw new BeanInitializationException("Bean '" + beanName + "': " + ex.getMessage(), ex);
		}
		return bean;
	}

	@Override
	public void afterSingletonsInstantiated() {
		this.registry.validate();
	}

	private static Method invocable(Method method, Object bean) {
		Method invocable = AopUtils.selectInvocableMethod(method, bean.getClass());
		ReflectionUtils.makeAccessible(invocable);
		return invocable;
	}

}
