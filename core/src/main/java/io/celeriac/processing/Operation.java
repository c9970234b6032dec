package io.celeriac.processing;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a bean method as the operation of the given name: it computes the result for one
 * URI. It takes the URI ({@code String}), an {@link OperationContext}, and optionally a
 * {@code Map<String, Object>} of keyword arguments (empty on the first run, those given
 * to {@link OperationContext#retry} on a retry), and returns a value Jackson writes as
 * JSON. <pre class="code">
 * &#64;Operation("thumbnail")
 * public Thumbnail thumbnail(String uri, OperationContext context, Map&lt;String, Object&gt; kwargs) {
 *     ...
 * }
 * </pre>
 *
 * @author Celeriac team
 * @see OperationCallback
 * @see CachedOperations
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface Operation {

	/**
	 * The operation name, unique in the application.
	 * @return the name
	 */
	String value();

}
