package io.celeriac.test.process;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * Starts a child JVM that runs a main class on the test's own class path: the same Java
 * runtime, the same classes, a process of its own that a test can kill with SIGKILL (for
 * example a worker killed in the middle of a task, whose task must then run on the next
 * worker).
 *
 * <pre class="code">
 * try (ChildProcess worker = JavaProcess.of(WorkerMain.class).systemProperty("x", "y").start()) {
 *     worker.awaitLine("task started", Duration.ofSeconds(30));
 *     worker.kill();
 * }
 * </pre>
 *
 * @author Celeriac team
 */
public final class JavaProcess {

	private final Class<?> mainClass;

	private final List<String> jvmOptions = new ArrayList<>();

	private final Map<String, String> systemProperties = new LinkedHashMap<>();

	private final Map<String, String> environment = new LinkedHashMap<>();

	private final List<String> arguments = new ArrayList<>();

	private @Nullable String classPath;

	private JavaProcess(Class<?> mainClass) {
		this.mainClass = mainClass;
	}

	/**
	 * Starts describing a child JVM that runs the given class's {@code main} method.
	 * @param mainClass a class with a {@code public static void main(String[])}
	 * @return the description, to be completed and {@linkplain #start() started}
	 */
	public static JavaProcess of(Class<?> mainClass) {
		return new JavaProcess(mainClass);
	}

	/**
	 * Adds arguments for the main method.
	 * @param arguments the arguments
	 * @return this description
	 */
	public JavaProcess arguments(String... arguments) {
		this.arguments.addAll(List.of(arguments));
		return this;
	}

	/**
	 * Adds a system property ({@code -Dname=value}), e.g. a Spring property.
	 * @param name the property name
	 * @param value the value
	 * @return this description
	 */
	public JavaProcess systemProperty(String name, String value) {
		this.systemProperties.put(name, value);
		return this;
	}

	/**
	 * Adds a JVM option, e.g. {@code -Xmx256m}.
	 * @param option the option
	 * @return this description
	 */
	public JavaProcess jvmOption(String option) {
		this.jvmOptions.add(option);
		return this;
	}

	/**
	 * Sets an environment variable of the child (the rest is inherited).
	 * @param name the variable
	 * @param value the value
	 * @return this description
	 */
	public JavaProcess environment(String name, String value) {
		this.environment.put(name, value);
		return this;
	}

	/**
	 * Replaces the class path, which is by default the one of this JVM (under Surefire,
	 * the test class path).
	 * @param classPath the class path
	 * @return this description
	 */
	public JavaProcess classPath(String classPath) {
		this.classPath = classPath;
		return this;
	}

	/**
	 * Returns the command line that {@link #start()} runs.
	 * @return the command
	 */
	public List<String> command() {
		List<String> command = new ArrayList<>();
		command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
		command.addAll(this.jvmOptions);
		this.systemProperties.forEach((name, value) -> command.add("-D" + name + "=" + value));
		command.add("-cp");
		command.add((this.classPath != null) ? this.classPath : currentClassPath());
		command.add(this.mainClass.getName());
		command.addAll(this.arguments);
		return command;
	}

	/**
	 * Starts the child JVM.
	 * @return the running process, its output captured
	 */
	public ChildProcess start() {
		ProcessBuilder builder = new ProcessBuilder(command());
		builder.environment().putAll(this.environment);
		return ChildProcess.start(this.mainClass.getSimpleName(), builder);
	}

	private static String currentClassPath() {
		// Surefire may run tests from a manifest-only jar; it publishes the real class
		// path
		// here
		String surefire = System.getProperty("surefire.test.class.path");
		return (surefire != null && !surefire.isEmpty()) ? surefire : System.getProperty("java.class.path");
	}

}
