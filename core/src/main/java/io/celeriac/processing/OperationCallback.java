package io.celeriac.processing;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a bean method as the callback of the named operation: once the operation's result
 * for a URI is stored, it is called once with the result and the callback arguments of
 * every caller that asked for it meanwhile. It takes two parameters: the result
 * (converted to the parameter's declared type) and a {@code List} of callback arguments
 * (each converted to the list's element type). <pre class="code">
 * &#64;OperationCallback("thumbnail")
 * public void thumbnailDone(Thumbnail thumbnail, List&lt;Reply&gt; replies) { ... }
 * </pre>
 *
 * @author Celeriac team
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface OperationCallback {

	/**
	 * The name of the operation whose results this method receives.
	 * @return the operation name
	 */
	String value();

}
