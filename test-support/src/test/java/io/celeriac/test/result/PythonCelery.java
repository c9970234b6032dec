package io.celeriac.test.result;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.junit.jupiter.api.Assumptions;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.core.io.ClassPathResource;

/**
 * Runs Debian's Python 3 with its {@code python3-celery} package to read and write task
 * results with Celery's own backends; tests using it are skipped when that is not
 * installed.
 *
 * @author Celeriac team
 */
final class PythonCelery {

	private static final String PYTHON = "/usr/bin/python3";

	private final Path script;

	private final JsonMapper mapper = new JsonMapper();

	private PythonCelery(Path script) {
		this.script = script;
	}

	/**
	 * Returns the runner, or skips the test when Python Celery is missing.
	 * @return the runner
	 * @throws IOException if the script cannot be copied
	 */
	static PythonCelery require() throws IOException {
		boolean present = Files.isExecutable(Path.of(PYTHON))
				&& exitCode(PYTHON, "-c", "import celery, sqlalchemy, psycopg2, redis") == 0;
		Assumptions.assumeTrue(present, "Python Celery is not installed: the interoperability tests need " + PYTHON
				+ " with python3-celery, python3-sqlalchemy, python3-psycopg2 and python3-redis (apt-get)");
		Path script = Files.createTempFile("celery_results", ".py");
		script.toFile().deleteOnExit();
		try (var input = new ClassPathResource("interop/celery_results.py").getInputStream()) {
			Files.write(script, input.readAllBytes());
		}
		return new PythonCelery(script);
	}

	/**
	 * Runs the script.
	 * @param arguments the mode, the backend URL and the task ids
	 * @return what it printed, as JSON
	 * @throws Exception if it fails
	 */
	JsonNode run(String... arguments) throws Exception {
		List<String> command = new ArrayList<>(List.of(PYTHON, this.script.toString()));
		command.addAll(List.of(arguments));
		Process process = new ProcessBuilder(command).redirectErrorStream(false).start();
		byte[] output = process.getInputStream().readAllBytes();
		String errors = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
		if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
			process.destroyForcibly();
			throw new IllegalStateException("Python Celery failed: " + errors);
		}
		return this.mapper.readTree(output);
	}

	/**
	 * Starts a Python Celery worker ({@code interop/celery_worker.py}) and waits until it
	 * is ready.
	 * @param broker the AMQP URL
	 * @param backend the result backend URL
	 * @param exchange the topic exchange
	 * @param queue the queue it consumes, bound with {@code pyinterop}
	 * @return the worker process, to destroy afterwards
	 * @throws Exception if it does not start
	 */
	Process startWorker(String broker, String backend, String exchange, String queue) throws Exception {
		Path directory = Files.createTempDirectory("celery_worker");
		try (var input = new ClassPathResource("interop/celery_worker.py").getInputStream()) {
			Files.write(directory.resolve("celery_worker.py"), input.readAllBytes());
		}
		ProcessBuilder builder = new ProcessBuilder(PYTHON, "-m", "celery", "-A", "celery_worker", "worker",
				"--pool=solo", "--concurrency=1", "--without-gossip", "--without-mingle", "--without-heartbeat",
				"--loglevel=INFO", "-Q", queue, "-n", "pyinterop@test")
			.directory(directory.toFile())
			.redirectErrorStream(true);
		builder.environment()
			.putAll(Map.of("BROKER", broker, "BACKEND", backend, "EXCHANGE", exchange, "QUEUE", queue));
		Process process = builder.start();
		CompletableFuture<Boolean> ready = new CompletableFuture<>();
		StringBuilder log = new StringBuilder();
		Thread reader = new Thread(() -> {
			try (BufferedReader lines = new BufferedReader(
					new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
				String line;
				while ((line = lines.readLine()) != null) {
					synchronized (log) {
						log.append(line).append('\n');
					}
					if (line.contains(" ready.")) {
						ready.complete(true);
					}
				}
			}
			catch (IOException ex) {
				// the process is gone
			}
			ready.complete(false);
		});
		reader.setDaemon(true);
		reader.start();
		boolean started;
		try {
			started = ready.get(60, TimeUnit.SECONDS);
		}
		catch (TimeoutException ex) {
			started = false;
		}
		if (!started) {
			process.destroyForcibly();
			synchronized (log) {
				throw new IllegalStateException("The Python Celery worker did not start:\n" + log);
			}
		}
		return process;
	}

	private static int exitCode(String... command) {
		try {
			Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
			process.getInputStream().readAllBytes();
			return process.waitFor(30, TimeUnit.SECONDS) ? process.exitValue() : -1;
		}
		catch (IOException ex) {
			return -1;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return -1;
		}
	}

}
