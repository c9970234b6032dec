package io.celeriac.schedule;

import java.lang.reflect.Method;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Map;

import io.celeriac.task.Deferrable;
import io.celeriac.task.TaskName;

import org.springframework.aop.framework.AopProxyUtils;
import org.springframework.beans.factory.BeanInitializationException;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.core.MethodIntrospector;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.util.StringUtils;

/**
 * Finds the {@link Recurring @Recurring} methods of each bean and registers their
 * schedules. A {@code @Recurring} method must be {@link Deferrable @Deferrable} (its tick
 * is sent as that task) and take no parameters (a tick has no arguments to give it);
 * otherwise the application does not start.
 *
 * @author Celeriac team
 */
public class RecurringBeanPostProcessor implements BeanPostProcessor {

	private final Schedules schedules;

	/**
	 * Creates the post-processor.
	 * @param schedules where the schedules are registered
	 */
	public RecurringBeanPostProcessor(Schedules schedules) {
		this.schedules = schedules;
	}

	@Override
	public Object postProcessAfterInitialization(Object bean, String beanName) {
		Class<?> targetClass = AopProxyUtils.ultimateTargetClass(bean);
		Map<Method, Recurring> methods = MethodIntrospector.selectMethods(targetClass,
				(MethodIntrospector.MetadataLookup<Recurring>) (method) -> AnnotatedElementUtils
					.findMergedAnnotation(method, Recurring.class));
		methods.forEach(
				(method, recurring) -> this.schedules.register(schedule(beanName, targetClass, method, recurring)));
		return bean;
	}

	/**
	 * Builds the schedule of a {@link Recurring @Recurring} method.
	 * @param beanName the bean's name, for messages
	 * @param type the bean's class
	 * @param method the method
	 * @param recurring its annotation
	 * @return the schedule
	 * @throws BeanInitializationException if the method or the annotation is not valid
	 */
	static RecurringSchedule schedule(String beanName, Class<?> type, Method method, Recurring recurring) {
		String where = "@Recurring method " + type.getSimpleName() + "." + method.getName() + " of bean '" + beanName
				+ "'";
		Deferrable deferrable = AnnotatedElementUtils.findMergedAnnotation(method, Deferrable.class);
		if (deferrable == null) {
			throw new BeanInitializationException(
					where + " is not @Deferrable: annotate it @Deferrable, since each tick is sent as its task");
		}
		if (method.getParameterCount() > 0) {
			throw new BeanInitializationException(where + " takes " + method.getParameterCount()
					+ " parameter(s); a recurring task takes none (use a celeriac.schedules.<name> entry with args "
					+ "and kwargs to send a task with arguments)");
		}
		boolean cron = StringUtils.hasText(recurring.cron());
		boolean every = StringUtils.hasText(recurring.every());
		if (cron == every) {
			throw new BeanInitializationException(
					where + " must set exactly one of cron and every, e.g. @Recurring(cron = \"0 0 * * * *\") or "
							+ "@Recurring(every = \"30s\")");
		}
		if (every && StringUtils.hasText(recurring.zone())) {
			throw new BeanInitializationException(where
					+ " sets a zone with every; a zone applies to cron only (fixed intervals count from the epoch)");
		}
		String task = TaskName.of(type, method, deferrable);
		String name = StringUtils.hasText(recurring.name()) ? recurring.name().trim() : task;
		Recurrence recurrence;
		try {
			recurrence = cron ? Recurrence.cron(recurring.cron(), zone(recurring.zone()))
					: Recurrence.every(Recurrence.parseInterval(recurring.every()));
		}
		catch (IllegalArgumentException | DateTimeException ex) {
			throw new BeanInitializationException(
					where + ": " + (cron ? "cron/zone" : "every") + " is not valid: " + ex.getMessage(), ex);
		}
		try {
			return RecurringSchedule.of(name, task, recurrence, recurring.missedTicks());
		}
		catch (IllegalArgumentException ex) {
			throw new BeanInitializationException(where + ": " + ex.getMessage(), ex);
		}
	}

	private static ZoneId zone(String zone) {
		return StringUtils.hasText(zone) ? ZoneId.of(zone.trim()) : ZoneOffset.UTC;
	}

}
