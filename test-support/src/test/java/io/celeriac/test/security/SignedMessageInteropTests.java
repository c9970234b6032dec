package io.celeriac.test.security;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import io.celeriac.errorqueue.ErrorQueueMessage;
import io.celeriac.errorqueue.ErrorQueueService;
import io.celeriac.protocol.CeleryProtocol;
import io.celeriac.protocol.TaskBody;
import io.celeriac.protocol.TaskHeaders;
import io.celeriac.protocol.TaskMessage;
import io.celeriac.protocol.TimeLimit;
import io.celeriac.protocol.WireMessage;
import io.celeriac.security.x509.SignatureDigest;
import io.celeriac.security.x509.SignerId;
import io.celeriac.security.x509.TrustedCertificates;
import io.celeriac.security.x509.X509MessageSigner;
import io.celeriac.security.x509.X509MessageVerifier;
import io.celeriac.task.BrokerTaskClient;
import io.celeriac.task.CurrentTask;
import io.celeriac.task.Deferrable;
import io.celeriac.task.TaskMethod;
import io.celeriac.task.TaskOptions;
import io.celeriac.task.TaskRegistry;
import io.celeriac.test.broker.RabbitTestBroker;
import io.celeriac.test.celery.CelerySecurity;
import io.celeriac.test.celery.CeleryTopology;
import io.celeriac.test.celery.PythonCelery;
import io.celeriac.test.celery.PythonCeleryWorker;
import io.celeriac.test.services.RabbitEndpoint;
import io.celeriac.test.services.RealServices;
import io.celeriac.test.services.ServiceIsolation;
import io.celeriac.topology.FirstSegmentTaskRouter;
import io.celeriac.topology.QueueType;
import io.celeriac.topology.Topology;
import io.celeriac.worker.ErrorQueue;
import io.celeriac.worker.TaskWorker;
import io.celeriac.worker.WorkerSettings;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestInstance.Lifecycle;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Signed task messages between Celeriac and Debian's Celery 5.2.6 with
 * python3-cryptography on one RabbitMQ, each side with a throwaway key and self-signed
 * certificate: a Java-signed task runs on a Python worker set up with
 * {@code app.setup_security()} (which refuses an unsigned one), a Python-signed task runs
 * on a Java worker, and unsigned, tampered and unknown-signer messages end in the Java
 * worker's error queue with the reason while the worker goes on. Skipped without
 * python3-celery.
 *
 * @author Celeriac team
 */
@RealServices
@TestInstance(Lifecycle.PER_CLASS)
class SignedMessageInteropTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(60);

	private final JsonMapper mapper = JsonMapper.builder().disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT).build();

	private final FirstSegmentTaskRouter router = new FirstSegmentTaskRouter();

	private final JavaTasks javaTasks = new JavaTasks();

	private @Nullable PythonCelery python;

	private @Nullable RabbitTestBroker rabbit;

	private @Nullable Topology topology;

	private @Nullable CeleryTopology celery;

	private @Nullable SigningCredentials javaSigner;

	private @Nullable SigningCredentials pythonSigner;

	private @Nullable Path directory;

	@BeforeAll
	void start(RabbitEndpoint rabbitEndpoint, ServiceIsolation isolation, @TempDir Path directory) {
		this.python = PythonCelery.assumeInstalled();
		assumeCryptography();
		this.directory = directory;
		this.javaSigner = SigningCredentials.generate("java-producer");
		this.pythonSigner = SigningCredentials.generate("python-producer");
		this.rabbit = new RabbitTestBroker(rabbitEndpoint, isolation);
		this.topology = new Topology(isolation.exchange("signed"), isolation.queueNamePrefix(), null,
				Set.of("pyservice", "jservice"), QueueType.CLASSIC, ".error");
		this.topology.bindings().forEach((binding) -> isolation.removeAfterwards(binding.queue()));
		this.topology.errorQueueNames().forEach(isolation::removeAfterwards);
		this.rabbit.broker().declare(this.topology);
		this.celery = new CeleryTopology(CeleryTopology.brokerUrl(rabbitEndpoint), this.topology.exchange(),
				this.topology.queueNamePrefix(), List.of("pyservice", "jservice"), null, false, Map.of(), null);
	}

	@AfterAll
	void stop() {
		if (this.rabbit != null) {
			this.rabbit.close();
		}
	}

	@Test
	void signerIsNamedAsCeleryNamesIt() {
		SigningCredentials withEmail = SigningCredentials
			.generateFor("EMAILADDRESS=ops@example.com, CN=Ops Team, OU=Tasks, O=Example, C=DE");
		for (SigningCredentials credentials : List.of(this.javaSigner, withEmail)) {
			Path certificate = credentials.writeCertificate(this.directory, "named");
			String celeryId = runPython("from celery.security.certificate import Certificate\n"
					+ "print(Certificate(open(" + quote(certificate) + ").read()).get_id())");
			assertThat(SignerId.of(credentials.certificate()).value()).isEqualTo(celeryId);
		}
	}

	@Test
	void javaSignedTaskRunsOnPythonWorkerSetUpWithSetupSecurity() {
		CelerySecurity security = CelerySecurity.write(this.directory.resolve("python-worker"), this.pythonSigner,
				List.of(this.javaSigner));
		try (PythonCeleryWorker worker = this.python.withSecurity(security)
			.startWorker(this.celery, List.of("pyservice"), TIMEOUT)) {
			String unsigned = client(new CeleryProtocol(this.mapper))
				.send("pyservice.multiply", List.of(1, 2), Map.of(), TaskOptions.defaults())
				.id();
			BrokerTaskClient client = client(signingProtocol(this.javaSigner, this.javaSigner));
			String id = client.send("pyservice.multiply", List.of(6, 7), Map.of(), TaskOptions.defaults()).id();
			assertThat(worker.awaitRun(id, TIMEOUT).result()).isEqualTo(42);
			// one queue, one task at a time: the unsigned message came first and was
			// refused
			assertThat(worker.run(unsigned)).isEmpty();
			assertThat(worker.output()).anyMatch((line) -> line.contains("untrusted content"));
		}
	}

	@Test
	void pythonSignedTaskRunsOnJavaWorker() {
		TaskWorker worker = startJavaWorker(signingProtocol(this.javaSigner, this.pythonSigner));
		try {
			CelerySecurity security = CelerySecurity.write(this.directory.resolve("python-client"), this.pythonSigner,
					List.of(this.pythonSigner));
			String id = this.python.withSecurity(security).sendTask(this.celery, "jservice.multiply", List.of(6, 7));
			await().atMost(TIMEOUT).until(() -> this.javaTasks.runs.containsKey(id));
			assertThat(this.javaTasks.runs.get(id)).isEqualTo(42);
		}
		finally {
			worker.stop();
		}
	}

	@Test
	void unsignedTamperedAndUnknownSignerMessagesGoToTheErrorQueueAndTheWorkerGoesOn() {
		TaskWorker worker = startJavaWorker(signingProtocol(this.javaSigner, this.javaSigner, this.pythonSigner));
		try {
			sendRefusedThenGood();
		}
		finally {
			worker.stop();
		}
	}

	private void sendRefusedThenGood() {
		// unsigned: Celery's JSON serializer
		String unsigned = this.python.sendTask(this.celery, "jservice.multiply", List.of(1, 2));
		// unknown signer: a key whose certificate the worker does not trust
		SigningCredentials mallory = SigningCredentials.generate("mallory");
		String unknown = client(signingProtocol(mallory, mallory))
			.send("jservice.multiply", List.of(3, 4), Map.of(), TaskOptions.defaults())
			.id();
		// tampered: signed by a trusted key, then an argument changed on the way
		String tampered = publishTampered(signingProtocol(this.javaSigner, this.javaSigner));
		CelerySecurity security = CelerySecurity.write(this.directory.resolve("python-after"), this.pythonSigner,
				List.of(this.pythonSigner));
		String good = this.python.withSecurity(security).sendTask(this.celery, "jservice.multiply", List.of(6, 7));
		ErrorQueueService errors = new ErrorQueueService(this.rabbit.broker(), this.topology, Duration.ofSeconds(10));
		String errorQueue = this.topology.errorQueueName(this.topology.queueName("jservice"));
		await().atMost(TIMEOUT).until(() -> this.javaTasks.runs.containsKey(good));
		// a listing hands each message back to the queue, so the one that saw all three
		// is kept
		List<ErrorQueueMessage> quarantined = await().atMost(TIMEOUT)
			.until(() -> errors.list(errorQueue, 10),
					(listed) -> listed.stream()
						.map(ErrorQueueMessage::taskId)
						.toList()
						.containsAll(List.of(unsigned, unknown, tampered)));
		assertThat(quarantined).filteredOn((message) -> unsigned.equals(message.taskId()))
			.singleElement()
			.satisfies((message) -> {
				assertThat(message.kind()).isEqualTo("UNSIGNED_MESSAGE");
				assertThat(message.reason()).contains("not signed").contains("celeriac.security.accept-unsigned");
			});
		assertThat(quarantined).filteredOn((message) -> unknown.equals(message.taskId()))
			.singleElement()
			.satisfies((message) -> {
				assertThat(message.kind()).isEqualTo("UNKNOWN_SIGNER");
				assertThat(message.reason()).contains(mallory.signer())
					.contains("celeriac.security.trusted-certificates");
			});
		assertThat(quarantined).filteredOn((message) -> tampered.equals(message.taskId()))
			.singleElement()
			.satisfies((message) -> {
				assertThat(message.kind()).isEqualTo("INVALID_SIGNATURE");
				assertThat(message.reason()).contains("does not match");
			});
		assertThat(this.javaTasks.runs).doesNotContainKeys(unsigned, unknown, tampered);
		assertThat(this.javaTasks.runs.get(good)).isEqualTo(42);
	}

	/**
	 * Publishes a message signed by a trusted key whose arguments were then changed from
	 * {@code [6, 7]} to {@code [6, 8]} inside the signed envelope.
	 */
	private String publishTampered(CeleryProtocol protocol) {
		String id = UUID.randomUUID().toString();
		TaskMessage message = new TaskMessage(
				new TaskHeaders("java", "jservice.multiply", id, null, null, null, null, null, 0, TimeLimit.NONE, id,
						null, "(6, 7)", "{}", "test", false, Map.of()),
				new TaskBody(this.mapper.createArrayNode().add(6).add(7), this.mapper.createObjectNode(),
						protocol.emptyEmbed()),
				"", 0, null);
		WireMessage signed = protocol.encode(message);
		String raw = new String(Base64.getDecoder().decode(signed.body()), StandardCharsets.ISO_8859_1);
		assertThat(raw).contains("[[6,7],");
		byte[] changed = Base64.getEncoder()
			.encode(raw.replace("[[6,7],", "[[6,8],").getBytes(StandardCharsets.ISO_8859_1));
		WireMessage tampered = new WireMessage(changed, signed.contentType(), signed.contentEncoding(),
				signed.headers(), signed.correlationId(), signed.replyTo(), signed.priority(), true, null);
		this.rabbit.broker().publish(this.topology.exchange(), "jservice", tampered).join();
		return id;
	}

	private CeleryProtocol signingProtocol(SigningCredentials signer, SigningCredentials... trusted) {
		return new CeleryProtocol(this.mapper,
				new X509MessageSigner(signer.privateKey(), signer.certificate(), SignatureDigest.SHA256),
				new X509MessageVerifier(
						new TrustedCertificates(Arrays.stream(trusted).map(SigningCredentials::certificate).toList()),
						SignatureDigest.SHA256, false));
	}

	private BrokerTaskClient client(CeleryProtocol protocol) {
		return new BrokerTaskClient(this.rabbit.broker(), this.topology, this.router, protocol, null);
	}

	private TaskWorker startJavaWorker(CeleryProtocol protocol) {
		TaskRegistry registry = new TaskRegistry();
		for (var method : JavaTasks.class.getDeclaredMethods()) {
			Deferrable deferrable = method.getAnnotation(Deferrable.class);
			if (deferrable != null) {
				registry.register(new TaskMethod(deferrable.name(), this.javaTasks, method));
			}
		}
		WorkerSettings settings = new WorkerSettings("java@signed", List.of("jservice"), 2, 4, 1 << 20, false,
				Duration.ofSeconds(5), Duration.ofSeconds(10));
		TaskWorker worker = new TaskWorker(this.rabbit.broker(), registry, protocol, null,
				new ErrorQueue(this.rabbit.broker(), this.topology, settings.name(), settings.confirmTimeout()),
				this.topology, this.router, settings);
		worker.start();
		return worker;
	}

	private void assumeCryptography() {
		org.junit.jupiter.api.Assumptions.assumeTrue(() -> {
			try {
				runPython("import cryptography, celery.security");
				return true;
			}
			catch (IllegalStateException ex) {
				return false;
			}
		}, "Debian's python3-cryptography is not installed (apt-get install python3-cryptography; .ci/run does this)");
	}

	private String runPython(String script) {
		try {
			Process process = new ProcessBuilder(this.python.python().toString(), "-c", script)
				.redirectErrorStream(true)
				.start();
			if (!process.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
				process.destroyForcibly();
				throw new IllegalStateException("Python did not finish within " + TIMEOUT);
			}
			String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
			if (process.exitValue() != 0) {
				throw new IllegalStateException("Python failed: " + output);
			}
			return output;
		}
		catch (IOException ex) {
			throw new IllegalStateException("Could not run " + this.python.python(), ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private static String quote(Path path) {
		return "'" + path.toString().replace("'", "\\'") + "'";
	}

	public static final class JavaTasks {

		final Map<String, Object> runs = new ConcurrentHashMap<>();

		@Deferrable(name = "jservice.multiply")
		public int multiply(int x, int y) {
			int result = x * y;
			CurrentTask current = CurrentTask.get();
			if (current != null) {
				this.runs.put(current.id(), result);
			}
			return result;
		}

	}

}
