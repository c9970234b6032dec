package io.celeriac.test.process;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Tests for {@link JavaProcess} and {@link ChildProcess}: a child JVM on the test class
 * path, its output waited on, ended with SIGKILL or SIGTERM.
 *
 * @author Celeriac team
 */
class JavaProcessTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(30);

	@Test
	void childRunsTheMainClassWithArgumentsPropertiesAndEnvironment() {
		try (ChildProcess child = JavaProcess.of(ChildMain.class)
			.arguments("one", "two")
			.systemProperty("greeting", "hello")
			.environment("CHILD_VARIABLE", "set")
			.start()) {
			assertThat(child.awaitLine("child started", TIMEOUT))
				.isEqualTo("child started with one two and greeting hello and variable set");
			assertThat(child.isAlive()).isTrue();
			assertThat(child.pid()).isPositive();
		}
	}

	@Test
	void killEndsTheChildWithSigkillSoNoShutdownHookRuns() {
		try (ChildProcess child = JavaProcess.of(ChildMain.class).start()) {
			child.awaitLine("child started", TIMEOUT);
			int exitCode = child.kill();
			assertThat(exitCode).isEqualTo(128 + 9);
			assertThat(child.isAlive()).isFalse();
			assertThat(child.output()).doesNotContain("shutdown hook ran");
		}
	}

	@Test
	void stopEndsTheChildWithSigtermSoShutdownHooksRun() {
		try (ChildProcess child = JavaProcess.of(ChildMain.class).start()) {
			child.awaitLine("child started", TIMEOUT);
			int exitCode = child.stop(TIMEOUT);
			assertThat(exitCode).isEqualTo(128 + 15);
			assertThat(child.output()).contains("shutdown hook ran");
		}
	}

	@Test
	void awaitLineFailsAtOnceWhenTheChildEndsWithoutPrintingIt() {
		try (ChildProcess child = JavaProcess.of(ChildMain.class).arguments("exit", "3").start()) {
			assertThatIllegalStateException().isThrownBy(() -> child.awaitLine("never printed", TIMEOUT))
				.withMessageContaining("ended without printing a line containing 'never printed'")
				.withMessageContaining("exit code 3")
				.withMessageContaining("child started with exit 3");
			assertThat(child.awaitExit(TIMEOUT)).isEqualTo(3);
		}
	}

	@Test
	void awaitLineFailsWhenTheDeadlinePasses() {
		try (ChildProcess child = JavaProcess.of(ChildMain.class).start()) {
			child.awaitLine("child started", TIMEOUT);
			assertThatIllegalStateException().isThrownBy(() -> child.awaitLine("never printed", Duration.ofMillis(200)))
				.withMessageContaining("did not print a line containing 'never printed' within PT0.2S")
				.withMessageContaining("child started");
			assertThat(child.isAlive()).isTrue();
		}
	}

}
