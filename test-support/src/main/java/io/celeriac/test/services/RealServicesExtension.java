package io.celeriac.test.services;

import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ExtensionContext.Namespace;
import org.junit.jupiter.api.extension.ExtensionContext.Store;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit extension behind {@link RealServices}: resolves {@link RedisEndpoint},
 * {@link RabbitEndpoint}, {@link PostgresEndpoint}, {@link SqsEndpoint} and
 * {@link ServiceIsolation} parameters. Each server is found once per test run, when a
 * test first asks for it, and released when the run ends; each test class gets its own
 * {@link ServiceIsolation}.
 *
 * @author Celeriac team
 */
public class RealServicesExtension implements ParameterResolver {

	private static final Namespace NAMESPACE = Namespace.create(RealServicesExtension.class);

	private static final Set<Class<?>> SUPPORTED = Set.of(RedisEndpoint.class, RabbitEndpoint.class,
			PostgresEndpoint.class, SqsEndpoint.class, ServiceIsolation.class);

	@Override
	public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
		return SUPPORTED.contains(parameterContext.getParameter().getType());
	}

	@Override
	public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
		Class<?> type = parameterContext.getParameter().getType();
		Store root = extensionContext.getRoot().getStore(NAMESPACE);
		if (type == ServiceIsolation.class) {
			return classContext(extensionContext).getStore(NAMESPACE)
				.computeIfAbsent(ServiceIsolation.class,
						(key) -> new ServiceIsolation(() -> redis(root), () -> rabbit(root), () -> postgres(root)),
						ServiceIsolation.class);
		}
		if (type == RedisEndpoint.class) {
			return redis(root);
		}
		if (type == RabbitEndpoint.class) {
			return rabbit(root);
		}
		if (type == SqsEndpoint.class) {
			return resolve(root, "sqs", SqsEndpoint.class, (resolver) -> resolver.sqs());
		}
		return postgres(root);
	}

	private static RedisEndpoint redis(Store root) {
		return resolve(root, "redis", RedisEndpoint.class, (resolver) -> resolver.redis());
	}

	private static RabbitEndpoint rabbit(Store root) {
		return resolve(root, "rabbit", RabbitEndpoint.class, (resolver) -> resolver.rabbit());
	}

	private static PostgresEndpoint postgres(Store root) {
		return resolve(root, "postgres", PostgresEndpoint.class, (resolver) -> resolver.postgres());
	}

	private static <E> E resolve(Store root, String key, Class<E> type,
			java.util.function.Function<ServiceResolver, Resolved<E>> how) {
		ServiceResolver resolver = root.computeIfAbsent(ServiceResolver.class,
				(ignored) -> new ServiceResolver(Map.copyOf(System.getenv()), ContainerServices.dockerAvailable()),
				ServiceResolver.class);
		Resolved<?> resolved = root.computeIfAbsent(key, (ignored) -> how.apply(resolver), Resolved.class);
		return type.cast(resolved.endpoint());
	}

	private static ExtensionContext classContext(ExtensionContext context) {
		ExtensionContext current = context;
		while (current.getTestMethod().isPresent() && current.getParent().isPresent()) {
			current = current.getParent().get();
		}
		return current;
	}

}
