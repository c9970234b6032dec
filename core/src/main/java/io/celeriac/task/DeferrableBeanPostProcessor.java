package io.celeriac.task;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import io.celeriac.limit.RateLimitDefinition;
import org.jspecify.annotations.Nullable;

import org.springframework.aop.TargetSource;
import org.springframework.aop.framework.AbstractAdvisingBeanPostProcessor;
import org.springframework.aop.framework.Advised;
import org.springframework.aop.framework.AopProxyUtils;
import org.springframework.aop.support.DefaultPointcutAdvisor;
import org.springframework.aop.support.annotation.AnnotationMatchingPointcut;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.BeanInitializationException;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.config.SingletonBeanRegistry;
import org.springframework.core.MethodIntrospector;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.util.ReflectionUtils;

/**
 * Finds the {@link Deferrable} methods of each bean: proxies the bean so that calling the
 * method sends the task instead of running it, and registers each method as a task that
 * this application's worker runs through that proxy (the bean as the application context
 * holds it), so that the bean's other advice, such as transactions and locks, applies on
 * the worker too.
 *
 * @author Celeriac team
 */
public class DeferrableBeanPostProcessor extends AbstractAdvisingBeanPostProcessor
		implements BeanFactoryAware, SmartInitializingSingleton {

	private final TaskRegistry registry;

	private final Map<String, Registered> registered = new ConcurrentHashMap<>();

	private @Nullable BeanFactory beanFactory;

	/**
	 * Creates the post-processor.
	 * @param registry where the tasks are registered
	 * @param client the client that sends tasks, looked up on first call so that it may
	 * depend on other beans
	 */
	public DeferrableBeanPostProcessor(TaskRegistry registry, Supplier<TaskClient> client) {
		this.registry = registry;
		this.advisor = new DefaultPointcutAdvisor(new AnnotationMatchingPointcut(null, Deferrable.class, true),
				new DeferrableInterceptor(client));
		setBeforeExistingAdvisors(true);
		setProxyTargetClass(true);
	}

	@Override
	public void setBeanFactory(BeanFactory beanFactory) {
		this.beanFactory = beanFactory;
	}

	@Override
	public Object postProcessAfterInitialization(Object bean, String beanName) {
		Class<?> targetClass = AopProxyUtils.ultimateTargetClass(bean);
		Map<Method, Deferrable> methods = MethodIntrospector.selectMethods(targetClass,
				(MethodIntrospector.MetadataLookup<Deferrable>) (method) -> AnnotatedElementUtils
					.findMergedAnnotation(method, Deferrable.class));
		if (methods.isEmpty()) {
			return super.postProcessAfterInitialization(bean, beanName);
		}
		for (Map.Entry<Method, Deferrable> entry : methods.entrySet()) {
			Method method = entry.getKey();
			try {
				DeferrableInterceptor.Call.of(targetClass, method);
				checkRateLimit(targetClass, method, entry.getValue());
			}
			catch (IllegalStateException ex) {
				throw new BeanInitializationException("Bean '" + beanName + "': " + ex.getMessage(), ex);
			}
			ReflectionUtils.makeAccessible(method);
		}
		Object target = ultimateTarget(bean, beanName);
		Object exposed = super.postProcessAfterInitialization(bean, beanName);
		Registered registration = new Registered(target, exposed, targetClass, methods);
		registration.register(this.registry, exposed, beanName, false);
		this.registered.put(beanName, registration);
		return exposed;
	}

	/**
	 * Points the tasks of every singleton that a later post-processor wrapped again at
	 * the object the application context holds.
	 */
	@Override
	public void afterSingletonsInstantiated() {
		if (!(this.beanFactory instanceof SingletonBeanRegistry singletons)) {
			return;
		}
		this.registered.forEach((beanName, registration) -> {
			Object current = singletons.containsSingleton(beanName) ? singletons.getSingleton(beanName) : null;
			if (current != null && current != registration.exposed()
					&& ultimateTarget(current, beanName) == registration.target()) {
				registration.register(this.registry, current, beanName, true);
			}
		});
		this.registered.clear();
	}

	/**
	 * The tasks of one bean: the object behind every proxy, the object this
	 * post-processor returned, and the task methods.
	 */
	private record Registered(Object target, Object exposed, Class<?> targetClass, Map<Method, Deferrable> methods) {

		void register(TaskRegistry registry, Object invoked, String beanName, boolean replace) {
			this.methods.forEach((method, deferrable) -> {
				TaskMethod task = new TaskMethod(TaskName.of(this.targetClass, method, deferrable),
						invocationTarget(invoked, method, beanName), method);
				if (replace) {
					registry.replace(task);
				}
				else {
					registry.register(task);
				}
			});
		}

		/**
		 * The proxy, which the worker calls so that the bean's advice applies, unless the
		 * method cannot be advised (private, final or static), when the proxy could not
		 * run it either.
		 */
		private Object invocationTarget(Object invoked, Method method, String beanName) {
			int modifiers = method.getModifiers();
			if (Modifier.isPrivate(modifiers) || Modifier.isFinal(modifiers) || Modifier.isStatic(modifiers)) {
				return this.target;
			}
			try {
				MethodIntrospector.selectInvocableMethod(method, invoked.getClass());
			}
			catch (IllegalStateException ex) {
				throw new BeanInitializationException("Bean '" + beanName + "' is a JDK proxy whose interfaces do not "
						+ "declare @Deferrable method " + method.getName() + ", so neither callers nor the worker can "
						+ "call it through the proxy; declare it on an interface the bean implements, or proxy the "
						+ "class (spring.aop.proxy-target-class=true)", ex);
			}
			return invoked;
		}

	}

	private static void checkRateLimit(Class<?> targetClass, Method method, Deferrable deferrable) {
		if (deferrable.rateLimit().isEmpty()) {
			return;
		}
		try {
			RateLimitDefinition.parse(deferrable.rateLimit());
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalStateException("@Deferrable(rateLimit = \"" + deferrable.rateLimit() + "\") on "
					+ targetClass.getSimpleName() + "." + method.getName() + ": " + ex.getMessage(), ex);
		}
	}

	private static Object ultimateTarget(Object bean, String beanName) {
		Object current = bean;
		while (current instanceof Advised advised) {
			TargetSource source = advised.getTargetSource();
			if (!source.isStatic()) {
				throw new BeanInitializationException("Bean '" + beanName
						+ "' has @Deferrable methods but a non-static target source; a worker needs one target");
			}
			try {
				Object next = source.getTarget();
				if (next == null) {
					break;
				}
				current = next;
			}
			catch (Exception ex) {
				throw new BeanInitializationException("Bean '" + beanName + "': cannot reach its target", ex);
			}
		}
		return current;
	}

}
