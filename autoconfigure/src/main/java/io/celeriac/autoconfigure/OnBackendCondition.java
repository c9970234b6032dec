package io.celeriac.autoconfigure;

import java.util.Map;
import java.util.Objects;

import org.springframework.boot.autoconfigure.condition.ConditionMessage;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.ConfigurationCondition;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * The condition behind {@link ConditionalOnBackend}. Evaluated when beans are registered,
 * as Spring Boot's bean conditions are, so that connection details beans defined by
 * {@code @Bean} methods of the application (e.g. Testcontainers'
 * {@code @ServiceConnection}) are seen.
 *
 * @author Celeriac team
 */
class OnBackendCondition extends SpringBootCondition implements ConfigurationCondition {

	@Override
	public ConfigurationPhase getConfigurationPhase() {
		return ConfigurationPhase.REGISTER_BEAN;
	}

	@Override
	public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
		Map<String, Object> attributes = Objects
			.requireNonNull(metadata.getAnnotationAttributes(ConditionalOnBackend.class.getName()));
		Capability capability = (Capability) attributes.get("capability");
		String wanted = (String) attributes.get("value");
		ConditionMessage.Builder message = ConditionMessage.forCondition(ConditionalOnBackend.class,
				capability.property() + "=" + wanted);
		Enum<?> chosen = capability.resolve(context.getEnvironment(), context.getBeanFactory());
		String chosenName = Capability.lowerCase(chosen);
		boolean explicit = context.getEnvironment().containsProperty(capability.property());
		String how = explicit ? "configured" : "chosen by default (" + capability.describeDefault() + ")";
		if (chosenName.equalsIgnoreCase(wanted)) {
			return ConditionOutcome.match(message.because(chosenName + " " + how));
		}
		return ConditionOutcome.noMatch(message.because(chosenName + " " + how));
	}

}
