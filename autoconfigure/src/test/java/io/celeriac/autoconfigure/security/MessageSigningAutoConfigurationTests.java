package io.celeriac.autoconfigure.security;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import io.celeriac.autoconfigure.CeleriacAutoConfiguration;
import io.celeriac.autoconfigure.delay.DelayedTaskAutoConfiguration;
import io.celeriac.autoconfigure.result.ResultStoreAutoConfiguration;
import io.celeriac.autoconfigure.task.TaskAutoConfiguration;
import io.celeriac.autoconfigure.worker.WorkerAutoConfiguration;
import io.celeriac.autoconfigure.workflow.WorkflowAutoConfiguration;
import io.celeriac.protocol.CeleryProtocol;
import io.celeriac.protocol.TaskBody;
import io.celeriac.protocol.TaskHeaders;
import io.celeriac.protocol.TaskMessage;
import io.celeriac.protocol.TimeLimit;
import io.celeriac.protocol.WireMessage;
import io.celeriac.security.MessagePayload;
import io.celeriac.security.MessageSigner;
import io.celeriac.security.MessageVerifier;
import io.celeriac.security.x509.SignatureDigest;
import io.celeriac.security.x509.X509MessageSigner;
import io.celeriac.task.Deferrable;
import io.celeriac.task.TaskClient;
import io.celeriac.task.TaskHandle;
import io.celeriac.task.TaskOptions;
import io.celeriac.test.security.SigningCredentials;
import io.celeriac.workflow.Signature;
import io.celeriac.workflow.Workflow;
import io.celeriac.workflow.WorkflowClient;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link MessageSigningAutoConfiguration}.
 *
 * @author Celeriac team
 */
class MessageSigningAutoConfigurationTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	private static SigningCredentials own;

	private static SigningCredentials other;

	@TempDir
	static Path directory;

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, CeleriacAutoConfiguration.class,
				ResultStoreAutoConfiguration.class, MessageSigningAutoConfiguration.class, TaskAutoConfiguration.class,
				WorkerAutoConfiguration.class));

	@BeforeAll
	static void generate() {
		own = SigningCredentials.generate("own");
		other = SigningCredentials.generate("other");
	}

	@Test
	void signingIsOffByDefault() {
		this.contextRunner.run((context) -> {
			assertThat(context).doesNotHaveBean(MessageSigner.class).doesNotHaveBean(MessageVerifier.class);
			assertThat(encode(context).contentType()).isEqualTo("application/json");
		});
	}

	@Test
	void inlinePemSignsEveryTaskAndTrustsItsOwnCertificate() {
		this.contextRunner.withUserConfiguration(MultiplyConfiguration.class)
			.withPropertyValues("celeriac.security.enabled=true", "celeriac.security.key=" + own.privateKeyPem(),
					"celeriac.security.certificate=" + own.certificatePem())
			.run((context) -> {
				assertThat(context).hasSingleBean(MessageSigner.class).hasSingleBean(MessageVerifier.class);
				WireMessage wire = encode(context);
				assertThat(wire.contentType()).isEqualTo("application/data");
				assertThat(context.getBean(CeleryProtocol.class).decode(wire).task()).isEqualTo("calc.multiply");
				Object result = context.getBean(TaskClient.class)
					.send("calc.multiply", List.of(6, 7), Map.of(), TaskOptions.defaults())
					.await(WAIT);
				assertThat(result).isEqualTo(42);
			});
	}

	@Test
	void retriesAndWorkflowStepsAreSignedToo() {
		this.contextRunner
			.withConfiguration(
					AutoConfigurations.of(DelayedTaskAutoConfiguration.class, WorkflowAutoConfiguration.class))
			.withUserConfiguration(MultiplyConfiguration.class)
			.withPropertyValues("celeriac.security.enabled=true", "celeriac.security.key=" + own.privateKeyPem(),
					"celeriac.security.certificate=" + own.certificatePem())
			.run((context) -> {
				// each would end in the error queue as UNSIGNED_MESSAGE if its publisher
				// did not sign
				Object retried = context.getBean(TaskClient.class)
					.send("calc.flaky", List.of(5), Map.of(), TaskOptions.defaults())
					.await(WAIT);
				assertThat(retried).isEqualTo(5);
				assertThat(context.getBean(Calculator.class).flakyCalls()).isEqualTo(2);
				Object chained = context.getBean(WorkflowClient.class)
					.send(Workflow.chain(Signature.of("calc.multiply", 6, 7), Signature.of("calc.add", 1)))
					.await(WAIT);
				assertThat(chained).isEqualTo(43);
			});
	}

	@Test
	void locationsAndADirectoryOfTrustedCertificatesAreRead() {
		Path key = own.writeKey(directory, "own");
		Path certificate = own.writeCertificate(directory, "own");
		Path trusted = directory.resolve("trusted");
		own.writeCertificate(trusted, "own");
		other.writeCertificate(trusted, "other");
		this.contextRunner
			.withPropertyValues("celeriac.security.enabled=true", "celeriac.security.key=file:" + key,
					"celeriac.security.certificate=file:" + certificate,
					"celeriac.security.trusted-certificates=file:" + trusted)
			.run((context) -> {
				CeleryProtocol protocol = context.getBean(CeleryProtocol.class);
				CeleryProtocol otherProtocol = new CeleryProtocol(protocol.mapper(),
						new X509MessageSigner(other.privateKey(), other.certificate(), SignatureDigest.SHA256), null);
				assertThat(protocol.decode(otherProtocol.encode(message(protocol))).task()).isEqualTo("calc.multiply");
			});
	}

	@Test
	void userBeansWin() {
		MessageSigner signer = (payload) -> new MessagePayload(payload.body(), "application/x-mine", "utf-8");
		this.contextRunner.withBean(MessageSigner.class, () -> signer)
			.withPropertyValues("celeriac.security.enabled=true",
					"celeriac.security.certificate=" + own.certificatePem())
			.run((context) -> {
				assertThat(context).getBean(MessageSigner.class).isSameAs(signer);
				assertThat(encode(context).contentType()).isEqualTo("application/x-mine");
			});
	}

	@Test
	void missingKeyStopsStartupNamingTheProperty() {
		this.contextRunner
			.withPropertyValues("celeriac.security.enabled=true",
					"celeriac.security.certificate=" + own.certificatePem())
			.run((context) -> assertFailure(context, "celeriac.security.key", "is not set"));
	}

	@Test
	void missingCertificateStopsStartupNamingTheProperty() {
		this.contextRunner
			.withPropertyValues("celeriac.security.enabled=true", "celeriac.security.key=" + own.privateKeyPem())
			.run((context) -> assertFailure(context, "celeriac.security.certificate", "is not set"));
	}

	@Test
	void unreadableKeyFileStopsStartupNamingTheProperty() {
		this.contextRunner
			.withPropertyValues("celeriac.security.enabled=true",
					"celeriac.security.key=file:" + directory.resolve("no-such.key"),
					"celeriac.security.certificate=" + own.certificatePem())
			.run((context) -> assertFailure(context, "celeriac.security.key", "does not exist"));
	}

	@Test
	void certificateGivenAsKeyStopsStartupNamingTheProperty() {
		this.contextRunner
			.withPropertyValues("celeriac.security.enabled=true", "celeriac.security.key=" + own.certificatePem(),
					"celeriac.security.certificate=" + own.certificatePem())
			.run((context) -> assertFailure(context, "celeriac.security.key", "not a usable private key"));
	}

	@Test
	void keyOfAnotherCertificateStopsStartupNamingTheProperty() {
		this.contextRunner
			.withPropertyValues("celeriac.security.enabled=true", "celeriac.security.key=" + other.privateKeyPem(),
					"celeriac.security.certificate=" + own.certificatePem())
			.run((context) -> assertFailure(context, "celeriac.security.key", "does not belong to certificate"));
	}

	@Test
	void unknownDigestStopsStartupNamingTheProperty() {
		this.contextRunner
			.withPropertyValues("celeriac.security.enabled=true", "celeriac.security.key=" + own.privateKeyPem(),
					"celeriac.security.certificate=" + own.certificatePem(), "celeriac.security.digest=md5")
			.run((context) -> assertFailure(context, "celeriac.security.digest", "sha256"));
	}

	@Test
	void trustedCertificateThatIsNotOneStopsStartupNamingTheProperty() {
		this.contextRunner
			.withPropertyValues("celeriac.security.enabled=true", "celeriac.security.key=" + own.privateKeyPem(),
					"celeriac.security.certificate=" + own.certificatePem(),
					"celeriac.security.trusted-certificates=" + own.privateKeyPem())
			.run((context) -> assertFailure(context, "celeriac.security.trusted-certificates", "not a certificate"));
	}

	@Test
	void expiredTrustedCertificateStopsStartupNamingTheProperty() {
		SigningCredentials expired = SigningCredentials.generateExpired("expired");
		this.contextRunner
			.withPropertyValues("celeriac.security.enabled=true", "celeriac.security.key=" + own.privateKeyPem(),
					"celeriac.security.certificate=" + own.certificatePem(),
					"celeriac.security.trusted-certificates=" + expired.certificatePem())
			.run((context) -> assertFailure(context, "celeriac.security.trusted-certificates", "expired"));
	}

	@Test
	void failureAnalysisNamesThePropertyToSet() {
		FailureAnalysis analysis = new MessageSigningFailureAnalyzer().analyze(new IllegalStateException("wrapped",
				new MessageSigningConfigurationException("celeriac.security.key", "is not set")));
		assertThat(analysis.getDescription()).contains("celeriac.security.key").contains("is not set");
		assertThat(analysis.getAction()).contains("Set 'celeriac.security.key'")
			.contains("celeriac.security.enabled=false");
	}

	private static void assertFailure(AssertableApplicationContext context, String property, String problem) {
		assertThat(context).hasFailed();
		Throwable failure = context.getStartupFailure();
		while (failure != null && !(failure instanceof MessageSigningConfigurationException)) {
			failure = failure.getCause();
		}
		assertThat(failure).as("a MessageSigningConfigurationException in %s", context.getStartupFailure())
			.isInstanceOf(MessageSigningConfigurationException.class)
			.hasMessageContaining("'" + property + "'")
			.hasMessageContaining(problem);
	}

	private static WireMessage encode(AssertableApplicationContext context) {
		CeleryProtocol protocol = context.getBean(CeleryProtocol.class);
		return protocol.encode(message(protocol));
	}

	private static TaskMessage message(CeleryProtocol protocol) {
		return new TaskMessage(
				new TaskHeaders("java", "calc.multiply", "id-1", null, null, null, null, null, 0, TimeLimit.NONE,
						"id-1", null, "(6, 7)", "{}", "test", false, Map.of()),
				new TaskBody(protocol.mapper().createArrayNode().add(6).add(7), protocol.mapper().createObjectNode(),
						protocol.emptyEmbed()),
				"", 0, null);
	}

	@Configuration(proxyBeanMethods = false)
	static class MultiplyConfiguration {

		@Bean
		Calculator calculator() {
			return new Calculator();
		}

	}

	public static class Calculator {

		private final AtomicInteger flakyCalls = new AtomicInteger();

		@Deferrable(name = "calc.multiply")
		public TaskHandle<Integer> multiply(int x, int y) {
			return TaskHandle.completed(x * y);
		}

		@Deferrable(name = "calc.add")
		public TaskHandle<Integer> add(int x, int y) {
			return TaskHandle.completed(x + y);
		}

		@Deferrable(name = "calc.flaky", retryOn = IllegalStateException.class, backoffDelayMillis = 10,
				backoffJitter = false)
		public TaskHandle<Integer> flaky(int value) {
			if (this.flakyCalls.incrementAndGet() == 1) {
				throw new IllegalStateException("first attempt fails");
			}
			return TaskHandle.completed(value);
		}

		int flakyCalls() {
			return this.flakyCalls.get();
		}

	}

}
