package io.celeriac.autoconfigure.worker;

import io.celeriac.autoconfigure.CeleriacAutoConfiguration;
import io.celeriac.autoconfigure.limit.LimiterAutoConfiguration;
import io.celeriac.autoconfigure.result.ResultStoreAutoConfiguration;
import io.celeriac.autoconfigure.task.TaskAutoConfiguration;
import io.celeriac.result.FailureLimits;
import io.celeriac.worker.ErrorQueue;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The limits on exception messages and tracebacks come from
 * {@code celeriac.result.max-message-size} and {@code max-traceback-size}.
 *
 * @author Celeriac team
 */
class FailureLimitsAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, CeleriacAutoConfiguration.class,
				ResultStoreAutoConfiguration.class, LimiterAutoConfiguration.class, TaskAutoConfiguration.class,
				WorkerAutoConfiguration.class))
		.withBean(TaskRateLimitsAutoConfigurationTests.PacedTasks.class);

	@Test
	void theDefaultsAreFourKibOfMessageAndSixtyFourKibOfTraceback() {
		this.contextRunner
			.run((context) -> assertThat(context.getBean(ErrorQueue.class).limits()).isEqualTo(FailureLimits.DEFAULTS));
	}

	@Test
	void thePropertiesSetTheLimits() {
		this.contextRunner
			.withPropertyValues("celeriac.result.max-message-size=1KB", "celeriac.result.max-traceback-size=8KB")
			.run((context) -> assertThat(context.getBean(ErrorQueue.class).limits())
				.isEqualTo(new FailureLimits(1024, 8192)));
	}

}
