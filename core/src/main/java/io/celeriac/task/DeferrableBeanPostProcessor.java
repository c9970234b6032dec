package io.celeriac.task;

import java.lang.reflect.Method;
import java.util.Map;
import java.util.function.Supplier;

import io.celeriac.limit.RateLimitDefinition;

import org.springframework.aop.TargetSource;
import org.springframework.aop.framework.AbstractAdvisingBeanPostProcessor;
import org.springframework.aop.framework.Advised;
import org.springframework.aop.framework.AopProxyUtils;
import org.springframework.aop.support.DefaultPointcutAdvisor;
import org.springframework.aop.support.annotation.AnnotationMatchingPointcut;
import org.springframework.beans.factory.BeanInitializationException;
import org.springframework.core.MethodIntrospector;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.util.ReflectionUtils;

/**
 * Finds the {@link Deferrable} methods of each bean: registers each as a task that this
 * application's worker can run (on the bean itself, not on its proxy), and proxies the
 * bean so that calling the method sends the task instead of running it.
 *
 * @author Celeriac team
 */
public class DeferrableBeanPostProcessor extends AbstractAdvisingBeanPostProcessor {

	private final TaskRegistry registry;

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
	public Object postProcessAfterInitialization(Object bean, String beanName) {
		registerTasks(bean, beanName);
		return super.postProcessAfterInitialization(bean, beanName);
	}

	private void registerTasks(Object bean, String beanName) {
		Class<?> targetClass = AopProxyUtils.ultimateTargetClass(bean);
		Map<Method, Deferrable> methods = MethodIntrospector.selectMethods(targetClass,
				(MethodIntrospector.MetadataLookup<Deferrable>) (method) -> AnnotatedElementUtils
					.findMergedAnnotation(method, Deferrable.class));
		if (methods.isEmpty()) {
			return;
		}
		Object target = ultimateTarget(bean, beanName);
		methods.forEach((method, deferrable) -> {
			try {
				DeferrableInterceptor.Call.of(targetClass, method);
				checkRateLimit(targetClass, method, deferrable);
			}
			catch (IllegalStateException ex) {
				throw new BeanInitializationException("Bean '" + beanName + "': " + ex.getMessage(), ex);
			}
			ReflectionUtils.makeAccessible(method);
			this.registry.register(new TaskMethod(TaskName.of(targetClass, method, deferrable), target, method));
		});
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
