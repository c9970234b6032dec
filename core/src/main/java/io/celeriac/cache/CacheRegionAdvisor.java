package io.celeriac.cache;

import java.util.function.Supplier;

import org.aopalliance.aop.Advice;

import org.springframework.aop.Pointcut;
import org.springframework.aop.support.AbstractPointcutAdvisor;
import org.springframework.aop.support.ComposablePointcut;
import org.springframework.aop.support.annotation.AnnotationMatchingPointcut;

/**
 * Applies {@link CacheRegionInterceptor} to every bean method annotated with
 * {@link CacheRegion @CacheRegion} or {@link CacheRegionEvict @CacheRegionEvict}. Any
 * Spring auto-proxy creator picks it up; Spring Boot registers one.
 *
 * @author Celeriac team
 */
public class CacheRegionAdvisor extends AbstractPointcutAdvisor {

	private final Pointcut pointcut = new ComposablePointcut(
			new AnnotationMatchingPointcut(null, CacheRegion.class, true))
		.union(new AnnotationMatchingPointcut(null, CacheRegionEvict.class, true));

	private final Advice advice;

	/**
	 * Creates an advisor.
	 * @param regions the cache regions, looked up on first use
	 */
	public CacheRegionAdvisor(Supplier<CacheRegions> regions) {
		this.advice = new CacheRegionInterceptor(regions);
	}

	@Override
	public Pointcut getPointcut() {
		return this.pointcut;
	}

	@Override
	public Advice getAdvice() {
		return this.advice;
	}

}
