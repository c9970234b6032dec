package io.celeriac.test.celery;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import io.celeriac.test.process.ChildProcess;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Assumptions;
import tools.jackson.databind.json.JsonMapper;

/**
 * Python Celery as installed on this machine (Debian's {@code python3-celery}: Celery
 * 5.2.6 with {@code /usr/bin/python3}), with a Celery app laid out like the cadasta
 * topology ({@code celeriac_interop.py}, see {@link CeleryTopology}) and Celery's own
 * client. Lets a test start a Python worker, send a task the way a Python service does,
 * and see what the Python tasks ran.
 *
 * <pre class="code">
 * PythonCelery python = PythonCelery.assumeInstalled();
 * CeleryTopology topology = CeleryTopology.of(rabbit, isolation.exchange("task_exchange"),
 *         isolation.queueNamePrefix(), "pyservice");
 * topology.queueNames().forEach(isolation::removeAfterwards);
 * try (PythonCeleryWorker worker = python.startWorker(topology)) {
 *     String id = python.sendTask(topology, "pyservice.multiply", List.of(6, 7));
 *     assertThat(worker.awaitRun(id, Duration.ofSeconds(30)).result()).isEqualTo(42);
 * }
 * </pre>
 *
 * The interpreter is {@code /usr/bin/python3} (a {@code python3} first on the
 * {@code PATH}, e.g. from pyenv, usually has no Celery); environment variable
 * {@code CELERIAC_TEST_PYTHON} names another.
 *
 * @author Celeriac team
 */
public final class PythonCelery {

	/**
	 * The environment variable that names the Python interpreter to use.
	 */
	public static final String PYTHON_VARIABLE = "CELERIAC_TEST_PYTHON";

	/**
	 * The module of the Celery app.
	 */
	public static final String APP_MODULE = "celeriac_interop";

	/**
	 * The client script.
	 */
	public static final String SEND_SCRIPT = "celeriac_interop_send.py";

	/**
	 * The script that starts workflows (chains, chords, callbacks).
	 */
	public static final String CANVAS_SCRIPT = "celeriac_interop_canvas.py";

	/**
	 * The script that receives Celery's events and feeds them to Celery's {@code State}.
	 */
	public static final String EVENTS_SCRIPT = "celeriac_interop_events.py";

	/**
	 * The script that revokes a task with {@code AsyncResult(id).revoke()}.
	 */
	public static final String REVOKE_SCRIPT = "celeriac_interop_revoke.py";

	private static final String DEFAULT_PYTHON = "/usr/bin/python3";

	private static final String RESOURCE_DIRECTORY = "/io/celeriac/test/celery/";

	private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(30);

	private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

	private static final Duration SEND_TIMEOUT = Duration.ofSeconds(60);

	private final Path python;

	private final String celeryVersion;

	private final Path scripts;

	private final @Nullable CelerySecurity security;

	private PythonCelery(Path python, String celeryVersion) {
		this(python, celeryVersion, extractScripts(), null);
	}

	private PythonCelery(Path python, String celeryVersion, Path scripts, @Nullable CelerySecurity security) {
		this.python = python;
		this.celeryVersion = celeryVersion;
		this.scripts = scripts;
		this.security = security;
	}

	/**
	 * Looks for a Python interpreter that can import Celery.
	 * @return the installation, or empty when there is none
	 */
	public static Optional<PythonCelery> find() {
		Path python = Path.of(Optional.ofNullable(System.getenv(PYTHON_VARIABLE)).orElse(DEFAULT_PYTHON));
		if (!Files.isExecutable(python)) {
			return Optional.empty();
		}
		return probe(python).map((version) -> new PythonCelery(python, version));
	}

	/**
	 * Returns the installation, or aborts the calling test (JUnit assumption) with a
	 * message saying how to install it.
	 * @return the installation
	 */
	public static PythonCelery assumeInstalled() {
		Optional<PythonCelery> found = find();
		Assumptions.assumeTrue(found.isPresent(), PythonCelery::missingMessage);
		return found.orElseThrow();
	}

	/**
	 * Returns the installation, or fails with a message saying how to install it.
	 * @return the installation
	 * @throws IllegalStateException when Python Celery is missing
	 */
	public static PythonCelery require() {
		return find().orElseThrow(() -> new IllegalStateException(missingMessage()));
	}

	/**
	 * Returns this installation with Celery's message signing on: the workers it starts
	 * run only messages signed by a trusted certificate, and the tasks it sends are
	 * signed ({@code task_serializer='auth'}, {@code app.setup_security()}).
	 * @param security the key, certificate and certificate store
	 * @return the installation with signing
	 */
	public PythonCelery withSecurity(CelerySecurity security) {
		return new PythonCelery(this.python, this.celeryVersion, this.scripts, security);
	}

	/**
	 * Returns the Python interpreter.
	 * @return its path
	 */
	public Path python() {
		return this.python;
	}

	/**
	 * Returns the version of Celery that the interpreter imports.
	 * @return e.g. {@code 5.2.6}
	 */
	public String celeryVersion() {
		return this.celeryVersion;
	}

	/**
	 * Returns the directory holding {@code celeriac_interop.py} and
	 * {@value #SEND_SCRIPT}, for running them another way.
	 * @return the directory
	 */
	public Path scripts() {
		return this.scripts;
	}

	/**
	 * Starts a worker consuming every service queue of the topology and waits until it is
	 * ready.
	 * @param topology the topology
	 * @return the running worker
	 */
	public PythonCeleryWorker startWorker(CeleryTopology topology) {
		return startWorker(topology, topology.services(), READY_TIMEOUT);
	}

	/**
	 * Starts a worker ({@code celery worker --pool solo}, one task at a time, acks late,
	 * prefetch 1) consuming the given service queues and waits until it logs that it is
	 * ready. The Python app declares the whole topology first unless it was told not to.
	 * @param topology the topology
	 * @param services the services whose queues it consumes, unprefixed (may include
	 * {@code celery} or the monitor queue)
	 * @param readyTimeout how long it may take to become ready
	 * @return the running worker
	 * @throws IllegalStateException if it ends or is not ready in time (the message has
	 * its log)
	 */
	public PythonCeleryWorker startWorker(CeleryTopology topology, List<String> services, Duration readyTimeout) {
		return startWorker(topology, services, readyTimeout, Map.of());
	}

	/**
	 * Starts a worker like {@link #startWorker(CeleryTopology)} that also answers remote
	 * control commands ({@code worker_enable_remote_control}) on its own pidbox queue.
	 * @param topology the topology
	 * @param controlExchange Celery's {@code control_exchange}: commands come on
	 * {@code <controlExchange>.pidbox}; a test's own name keeps other tests' workers out
	 * @return the running worker; its name is {@link PythonCeleryWorker#hostname()}
	 */
	public PythonCeleryWorker startWorkerWithRemoteControl(CeleryTopology topology, String controlExchange) {
		return startWorker(topology, topology.services(), READY_TIMEOUT,
				Map.of("INTEROP_REMOTE_CONTROL", "1", "INTEROP_CONTROL_EXCHANGE", controlExchange));
	}

	/**
	 * Runs Celery's command line on the topology's app, e.g. {@code inspect ping
	 * --json}, and returns what it printed.
	 * @param topology the topology
	 * @param controlExchange Celery's {@code control_exchange}
	 * @param timeout how long the command may take
	 * @param arguments the arguments after {@code celery -A celeriac_interop}
	 * @return the lines it printed on its standard output
	 * @throws IllegalStateException if it fails (the message has its output)
	 */
	public List<String> celery(CeleryTopology topology, String controlExchange, Duration timeout, String... arguments) {
		List<String> command = new ArrayList<>(List.of(this.python.toString(), "-m", "celery", "-A", APP_MODULE));
		command.addAll(List.of(arguments));
		ProcessBuilder builder = new ProcessBuilder(command);
		environment(builder, topology).put("INTEROP_CONTROL_EXCHANGE", controlExchange);
		return run(builder, timeout);
	}

	/**
	 * Revokes a task as a Python service does, with {@code AsyncResult(id).revoke()}.
	 * @param topology the topology
	 * @param controlExchange Celery's {@code control_exchange}
	 * @param taskId the task id
	 * @param terminate Celery's {@code terminate}: interrupt the task where it runs
	 */
	public void revoke(CeleryTopology topology, String controlExchange, String taskId, boolean terminate) {
		List<String> command = new ArrayList<>(
				List.of(this.python.toString(), this.scripts.resolve(REVOKE_SCRIPT).toString(), taskId));
		if (terminate) {
			command.add("--terminate");
		}
		ProcessBuilder builder = new ProcessBuilder(command);
		environment(builder, topology).put("INTEROP_CONTROL_EXCHANGE", controlExchange);
		run(builder, SEND_TIMEOUT);
	}

	/**
	 * Starts a worker like {@link #startWorker(CeleryTopology, List, Duration)}, with
	 * more environment variables for the Celery app, e.g. {@code INTEROP_SEND_EVENTS=1}
	 * and {@code INTEROP_EVENT_EXCHANGE} for a worker that sends Celery's events (see
	 * {@code celeriac_interop.py}).
	 * @param topology the topology
	 * @param services the services whose queues it consumes, unprefixed
	 * @param readyTimeout how long it may take to become ready
	 * @param environment the added environment variables
	 * @return the running worker
	 */
	public PythonCeleryWorker startWorker(CeleryTopology topology, List<String> services, Duration readyTimeout,
			Map<String, String> environment) {
		if (services.isEmpty()) {
			throw new IllegalArgumentException("A worker needs at least one queue to consume");
		}
		Path records = createRecordFile();
		List<String> queues = services.stream().map(topology::queueName).toList();
		String node = "interop-" + UUID.randomUUID().toString().substring(0, 8) + "@%h";
		ProcessBuilder builder = new ProcessBuilder(this.python.toString(), "-m", "celery", "-A", APP_MODULE, "worker",
				"-Q", String.join(",", queues), "--pool", "solo", "--loglevel", "INFO", "-n", node, "--without-gossip",
				"--without-mingle", "--without-heartbeat");
		Map<String, String> variables = environment(builder, topology);
		variables.putAll(environment);
		variables.put("INTEROP_RECORD_FILE", records.toString());
		ChildProcess process = ChildProcess.start("python-celery-worker", builder);
		PythonCeleryWorker worker = new PythonCeleryWorker(process, records, topology);
		try {
			process.awaitLine(" ready.", readyTimeout);
			return worker;
		}
		catch (RuntimeException ex) {
			worker.close();
			throw ex;
		}
	}

	/**
	 * Starts Celery's event receiver ({@code app.events.Receiver}, bound with {@code #})
	 * on the topology's broker and the given event exchange, feeding Celery's
	 * {@code State}, and waits until its queue is consuming.
	 * @param topology the topology, for its broker
	 * @param eventExchange the event exchange (Celery's {@code event_exchange})
	 * @return the running receiver
	 * @throws IllegalStateException if it ends or is not ready in time (the message has
	 * its output)
	 */
	public PythonEventReceiver startEventReceiver(CeleryTopology topology, String eventExchange) {
		ProcessBuilder builder = new ProcessBuilder(this.python.toString(),
				this.scripts.resolve(EVENTS_SCRIPT).toString());
		environment(builder, topology).put("INTEROP_EVENT_EXCHANGE", eventExchange);
		ChildProcess process = ChildProcess.start("python-celery-events", builder);
		PythonEventReceiver receiver = new PythonEventReceiver(process);
		try {
			process.awaitLine("READY", READY_TIMEOUT);
			return receiver;
		}
		catch (RuntimeException ex) {
			receiver.close();
			throw ex;
		}
	}

	/**
	 * Sends a task with Celery's {@code app.send_task} on the topology, as a Python
	 * service would (the router gives the routing key), and returns its id.
	 * @param topology the topology
	 * @param name the task name, e.g. {@code sample.add}
	 * @param args the positional arguments (JSON values)
	 * @return the task id
	 */
	public String sendTask(CeleryTopology topology, String name, List<?> args) {
		return sendTask(topology, name, args, Map.of());
	}

	/**
	 * Sends a task with Celery's {@code app.send_task} on the topology, as a Python
	 * service would (the router gives the routing key), and returns its id.
	 * @param topology the topology
	 * @param name the task name, e.g. {@code sample.add}
	 * @param args the positional arguments (JSON values)
	 * @param kwargs the keyword arguments (JSON values)
	 * @return the task id
	 * @throws IllegalStateException if the client fails (the message has its output)
	 */
	public String sendTask(CeleryTopology topology, String name, List<?> args, Map<String, ?> kwargs) {
		return send(topology, name, args, kwargs, null).get(0);
	}

	/**
	 * Sends a task like {@link #sendTask(CeleryTopology, String, List, Map)} and waits
	 * for its result with Celery's {@code AsyncResult.get}, reading it from the
	 * topology's result backend (whoever ran the task, a Python or a Java worker).
	 * @param topology the topology, with a {@linkplain CeleryTopology#withResultBackend
	 * result backend}
	 * @param name the task name
	 * @param args the positional arguments (JSON values)
	 * @param kwargs the keyword arguments (JSON values)
	 * @param timeout how long Celery waits for the result
	 * @return the task id and the result as JSON
	 * @throws IllegalStateException if the task failed, or no result came in time (the
	 * message has Celery's error)
	 */
	public SentTask sendTaskAndWait(CeleryTopology topology, String name, List<?> args, Map<String, ?> kwargs,
			Duration timeout) {
		if (topology.resultBackend() == null) {
			throw new IllegalArgumentException("Waiting for a result needs a topology with a result backend");
		}
		List<String> lines = send(topology, name, args, kwargs, timeout);
		if (lines.size() < 2) {
			throw new IllegalStateException("The Celery client printed no result: " + lines);
		}
		return new SentTask(lines.get(0), lines.get(1));
	}

	/**
	 * Starts a workflow with Celery's canvas ({@code chain}, {@code chord}, or a task
	 * with {@code link} / {@code link_error}), as a Python service would; see
	 * {@code celeriac_interop_canvas.py} for the specification's shape.
	 * @param topology the topology, with the result backend the workflow needs (a chord
	 * needs one)
	 * @param specification the workflow, e.g. {@code {"chain": [{"task": "pyservice.add",
	 * "args": [1, 2]}, ...]}}
	 * @return what the script printed: {@code id} (the workflow's result id), {@code ids}
	 * (a chain's task ids), {@code group} and {@code header} (a chord's)
	 * @throws IllegalStateException if the client fails (the message has its output)
	 */
	public Map<String, Object> startWorkflow(CeleryTopology topology, Map<String, ?> specification) {
		JsonMapper json = JsonMapper.shared();
		ProcessBuilder builder = new ProcessBuilder(this.python.toString(),
				this.scripts.resolve(CANVAS_SCRIPT).toString(), json.writeValueAsString(specification));
		environment(builder, topology);
		List<String> lines = run(builder, SEND_TIMEOUT).stream()
			.map(String::strip)
			.filter((line) -> line.startsWith("{"))
			.toList();
		if (lines.isEmpty()) {
			throw new IllegalStateException("The Celery canvas client printed nothing");
		}
		@SuppressWarnings("unchecked")
		Map<String, Object> printed = json.readValue(lines.get(lines.size() - 1), Map.class);
		return printed;
	}

	private List<String> send(CeleryTopology topology, String name, List<?> args, Map<String, ?> kwargs,
			@Nullable Duration wait) {
		JsonMapper json = JsonMapper.shared();
		List<String> command = new ArrayList<>(
				List.of(this.python.toString(), this.scripts.resolve(SEND_SCRIPT).toString(), name,
						json.writeValueAsString(args), json.writeValueAsString(kwargs)));
		if (wait != null) {
			command.add("--wait");
			command.add(String.valueOf(wait.toMillis() / 1000.0));
		}
		ProcessBuilder builder = new ProcessBuilder(command);
		environment(builder, topology);
		List<String> lines = run(builder, (wait != null) ? SEND_TIMEOUT.plus(wait) : SEND_TIMEOUT).stream()
			.map(String::strip)
			.filter((line) -> !line.isEmpty())
			.toList();
		if (lines.isEmpty()) {
			throw new IllegalStateException("The Celery client printed no task id");
		}
		return lines;
	}

	private Map<String, String> environment(ProcessBuilder builder, CeleryTopology topology) {
		Map<String, String> environment = builder.environment();
		environment.putAll(topology.environment());
		environment.put("PYTHONPATH", this.scripts.toString());
		environment.put("PYTHONUNBUFFERED", "1");
		environment.put("PYTHONDONTWRITEBYTECODE", "1");
		environment.remove("INTEROP_RECORD_FILE");
		if (this.security != null) {
			environment.putAll(this.security.environment());
		}
		builder.directory(this.scripts.toFile());
		return environment;
	}

	private static List<String> run(ProcessBuilder builder, Duration timeout) {
		try {
			Path output = Files.createTempFile("celeriac-interop-send", ".out");
			Path errors = Files.createTempFile("celeriac-interop-send", ".err");
			try {
				builder.redirectOutput(output.toFile()).redirectError(errors.toFile());
				Process process = builder.start();
				if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
					process.destroyForcibly();
					throw new IllegalStateException(
							"The Celery client did not finish within " + timeout + ": " + Files.readString(errors));
				}
				if (process.exitValue() != 0) {
					throw new IllegalStateException("The Celery client failed (exit code " + process.exitValue() + "): "
							+ Files.readString(output) + Files.readString(errors));
				}
				return Files.readAllLines(output, StandardCharsets.UTF_8);
			}
			finally {
				Files.deleteIfExists(output);
				Files.deleteIfExists(errors);
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not run " + builder.command(), ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while running the Celery client", ex);
		}
	}

	private static Optional<String> probe(Path python) {
		ProcessBuilder builder = new ProcessBuilder(python.toString(), "-c",
				"import celery, kombu, amqp; print(celery.__version__)");
		try {
			List<String> lines = run(builder, PROBE_TIMEOUT);
			return lines.stream().map(String::strip).filter((line) -> !line.isEmpty()).findFirst();
		}
		catch (RuntimeException ex) {
			return Optional.empty();
		}
	}

	private static Path extractScripts() {
		try {
			Path directory = Files.createTempDirectory("celeriac-interop");
			directory.toFile().deleteOnExit();
			for (String script : List.of(APP_MODULE + ".py", SEND_SCRIPT, CANVAS_SCRIPT, EVENTS_SCRIPT,
					REVOKE_SCRIPT)) {
				Path target = directory.resolve(script);
				try (InputStream in = PythonCelery.class.getResourceAsStream(RESOURCE_DIRECTORY + script)) {
					if (in == null) {
						throw new IllegalStateException("Missing resource " + RESOURCE_DIRECTORY + script);
					}
					Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
				}
				target.toFile().deleteOnExit();
			}
			return directory;
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not write the Python Celery scripts", ex);
		}
	}

	private static Path createRecordFile() {
		try {
			Path records = Files.createTempFile("celeriac-interop", ".jsonl");
			records.toFile().deleteOnExit();
			return records;
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not create the task record file", ex);
		}
	}

	private static String missingMessage() {
		String python = Optional.ofNullable(System.getenv(PYTHON_VARIABLE)).orElse(DEFAULT_PYTHON);
		return "Python Celery is not installed: " + python + " cannot import celery. Install it with "
				+ "'apt-get install python3-celery python3-sqlalchemy python3-psycopg2' (and python3-boto3 python3-pycurl for "
				+ "SQS, python3-redis for Redis; Debian; .ci/run does " + "this), or set " + PYTHON_VARIABLE
				+ " to a Python interpreter that has Celery 5";
	}

	@Override
	public String toString() {
		return "PythonCelery[" + this.python + ", Celery " + this.celeryVersion + "]";
	}

}
