package io.celeriac.cache;

import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.stream.Collectors;

import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.util.StringUtils;

/**
 * The region and namespace of a {@link CacheRegion @CacheRegion} method: where its
 * results are cached, and under which name, so that invalidating the method reaches the
 * entries it cached.
 *
 * @param region the region's name
 * @param namespace the namespace: the one the annotation names, or else the fully
 * qualified name of the declaring class, a dot and the method's name, followed by its
 * parameter types in parentheses when the class overloads the name, e.g.
 * {@code com.example.Squares.square}
 * @author Celeriac team
 */
public record CacheRegionMethod(String region, String namespace) {

	/**
	 * Returns the region and namespace of a method.
	 * @param method the method
	 * @return its region and namespace
	 * @throws CacheConfigurationException if the method has no {@code @CacheRegion}
	 */
	public static CacheRegionMethod of(Method method) {
		CacheRegion annotation = AnnotatedElementUtils.findMergedAnnotation(method, CacheRegion.class);
		if (annotation == null) {
			throw new CacheConfigurationException(method + " has no @CacheRegion annotation");
		}
		if (StringUtils.hasText(annotation.namespace())) {
			return new CacheRegionMethod(annotation.value(), annotation.namespace());
		}
		Class<?> type = method.getDeclaringClass();
		String namespace = type.getName() + "." + method.getName();
		long sameName = Arrays.stream(type.getDeclaredMethods())
			.filter((candidate) -> !candidate.isBridge() && !candidate.isSynthetic())
			.filter((candidate) -> candidate.getName().equals(method.getName()))
			.count();
		if (sameName > 1) {
			namespace += Arrays.stream(method.getParameterTypes())
				.map(Class::getSimpleName)
				.collect(Collectors.joining(",", "(", ")"));
		}
		return new CacheRegionMethod(annotation.value(), namespace);
	}

}
