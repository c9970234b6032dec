package io.celeriac.workflow;

import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

import io.celeriac.task.Deferrable;
import io.celeriac.task.TaskName;
import org.aopalliance.intercept.MethodInterceptor;
import org.jspecify.annotations.Nullable;

import org.springframework.aop.framework.ProxyFactory;
import org.springframework.core.annotation.AnnotatedElementUtils;

/**
 * Signatures of {@link Deferrable} methods, recorded from a call instead of sent:
 * <pre class="code">
 * Signature render = Signatures.of(Reports.class, (reports) -&gt; reports.render(42));
 * </pre> The call goes to a recording stand-in of the class (nothing runs, nothing is
 * sent); the signature carries the method's task name, as the worker registers it, and
 * the call's arguments.
 *
 * @author Celeriac team
 */
public final class Signatures {

	private Signatures() {
	}

	/**
	 * Records one call of a {@link Deferrable} method as a signature.
	 * @param <T> the bean type
	 * @param type the bean's class (or an interface it implements, whose method carries
	 * the annotation)
	 * @param call calls exactly one {@link Deferrable} method on the stand-in it is given
	 * @return the signature
	 * @throws IllegalArgumentException if the call did not reach a {@link Deferrable}
	 * method
	 */
	public static <T> Signature of(Class<T> type, Consumer<T> call) {
		AtomicReference<@Nullable Signature> recorded = new AtomicReference<>();
		ProxyFactory factory = new ProxyFactory();
		if (type.isInterface()) {
			factory.addInterface(type);
		}
		else {
			factory.setTargetClass(type);
			factory.setProxyTargetClass(true);
		}
		factory.addAdvice((MethodInterceptor) (invocation) -> {
			Method method = invocation.getMethod();
			Deferrable deferrable = AnnotatedElementUtils.findMergedAnnotation(method, Deferrable.class);
			if (deferrable == null) {
				throw new IllegalArgumentException(
						"Signatures.of recorded a call of " + method + ", which is not a @Deferrable method");
			}
			recorded.set(new Signature(TaskName.of(type, method, deferrable), Arrays.asList(invocation.getArguments()),
					Map.of(), Map.of(), false));
			return null;
		});
		call.accept(type.cast(factory.getProxy(type.getClassLoader())));
		Signature signature = recorded.get();
		if (signature == null) {
			throw new IllegalArgumentException("Signatures.of recorded no call of a @Deferrable method of " + type);
		}
		return signature;
	}

}
