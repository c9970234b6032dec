package io.celeriac.autoconfigure;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.context.annotation.Conditional;

/**
 * Matches when a capability's backend, as chosen by {@link Capability#resolve}, is the
 * given one. Capability auto-configurations put it on the configuration class of each
 * backend.
 *
 * @author Celeriac team
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ ElementType.TYPE, ElementType.METHOD })
@Documented
@Conditional(OnBackendCondition.class)
public @interface ConditionalOnBackend {

	/**
	 * The capability whose backend is checked.
	 * @return the capability
	 */
	Capability capability();

	/**
	 * The backend that must have been chosen, as written in {@code application.yml}, e.g.
	 * {@code "redis"}.
	 * @return the backend's name
	 */
	String value();

}
