package io.celeriac.processing;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.BeanInitializationException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link OperationBeanPostProcessor} and the checks of {@link OperationMethod},
 * {@link CallbackMethod} and {@link OperationRegistry}: what a wrong declaration is told.
 *
 * @author Celeriac team
 */
class OperationBeanPostProcessorTests {

	private final OperationRegistry registry = new OperationRegistry();

	private final OperationBeanPostProcessor postProcessor = new OperationBeanPostProcessor(this.registry);

	@Test
	void operationsAndCallbacksAreRegisteredByName() {
		this.postProcessor.postProcessAfterInitialization(new Good(), "good");
		this.postProcessor.afterSingletonsInstantiated();
		assertThat(this.registry.names()).containsExactly("plain", "with-kwargs");
		assertThat(this.registry.callback("plain")).isPresent();
		assertThat(this.registry.callback("with-kwargs")).isEmpty();
	}

	@Test
	void anOperationWithAWrongSignatureIsRefusedWithTheExpectedOne() {
		assertThatExceptionOfType(BeanInitializationException.class)
			.isThrownBy(() -> this.postProcessor.postProcessAfterInitialization(new WrongSignature(), "wrong"))
			.withMessageContaining("Bean 'wrong'")
			.withMessageContaining("(String uri, OperationContext context)");
	}

	@Test
	void anOperationReturningNothingIsRefused() {
		assertThatExceptionOfType(BeanInitializationException.class)
			.isThrownBy(() -> this.postProcessor.postProcessAfterInitialization(new ReturnsNothing(), "nothing"))
			.withMessageContaining("must return its result");
	}

	@Test
	void twoOperationsWithOneNameAreRefused() {
		this.postProcessor.postProcessAfterInitialization(new Good(), "good");
		assertThatExceptionOfType(BeanInitializationException.class)
			.isThrownBy(() -> this.postProcessor.postProcessAfterInitialization(new SameName(), "same"))
			.withMessageContaining("Operation name 'plain' is used by both");
	}

	@Test
	void aCallbackWithoutItsOperationIsRefusedOnceEveryBeanExists() {
		this.postProcessor.postProcessAfterInitialization(new OrphanCallback(), "orphan");
		assertThatExceptionOfType(OperationConfigurationException.class)
			.isThrownBy(this.postProcessor::afterSingletonsInstantiated)
			.withMessageContaining("@OperationCallback(\"missing\")")
			.withMessageContaining("names no @Operation");
	}

	@Test
	void anOperationContextRefusesARedirectToItselfAndANegativeCountdown() {
		OperationContext context = new OperationContext("op", "doc:a", "p1", Map.of());
		assertThatExceptionOfType(IllegalArgumentException.class).isThrownBy(() -> context.redirect("doc:a"))
			.withMessageContaining("cannot redirect doc:a to itself");
		assertThatExceptionOfType(IllegalArgumentException.class)
			.isThrownBy(() -> context.retry(java.time.Duration.ofSeconds(-1)))
			.withMessageContaining("must not be negative");
	}

	@Test
	void anOperationNameWithHashTagBracesIsRefused() {
		assertThatExceptionOfType(IllegalArgumentException.class).isThrownBy(() -> new OperationKey("th{umb}", "doc:a"))
			.withMessageContaining("must not contain '{' or '}'");
	}

	static class Good {

		@Operation("plain")
		public String plain(String uri, OperationContext context) {
			return uri;
		}

		@OperationCallback("plain")
		public void plainDone(String result, List<String> callers) {
		}

		@Operation("with-kwargs")
		public int withKwargs(String uri, OperationContext context, Map<String, Object> kwargs) {
			return kwargs.size();
		}

	}

	static class SameName {

		@Operation("plain")
		public String other(String uri, OperationContext context) {
			return uri;
		}

	}

	static class WrongSignature {

		@Operation("wrong")
		public String wrong(String uri) {
			return uri;
		}

	}

	static class ReturnsNothing {

		@Operation("nothing")
		public void nothing(String uri, OperationContext context) {
		}

	}

	static class OrphanCallback {

		@OperationCallback("missing")
		public void done(String result, List<String> callers) {
		}

	}

}
