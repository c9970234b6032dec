package io.celeriac.autoconfigure;

import java.util.Map;
import java.util.Objects;

import org.springframework.boot.autoconfigure.condition.ConditionMessage;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * The condition behind {@link ConditionalOnBackend}.
 *
 * @author Celeriac team
 */
class OnBackendCondition extends SpringBootCondition {

	@Override
	public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
		Map<String, Object> attributes = Objects
			.requireNonNull(metadata.getAnnotationAttributes(ConditionalOnBackend.class.getName()));
		Capability capability = (Capability) attributes.get("capability");
		String wanted = (String) attributes.get("value");
		ConditionMessage.Builder message = ConditionMessage.forCondition(ConditionalOnBackend.class,
				capability.property() + "=" + wanted);
		Enum<?> chosen = capability.resolve(context.getEnvironment());
		String chosenName = Capability.lowerCase(chosen);
		boolean explicit = context.getEnvironment().containsProperty(capability.property());
		String how = explicit ? "configured" : "chosen by default (" + capability.describeDefault() + ")";
		if (chosenName.equalsIgnoreCase(wanted)) {
			return ConditionOutcome.match(message.because(chosenName + " " + how));
		}
		return ConditionOutcome.noMatch(message.because(chosenName + " " + how));
	}

}
