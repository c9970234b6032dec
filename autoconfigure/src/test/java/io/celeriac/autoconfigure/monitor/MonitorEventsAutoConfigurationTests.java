package io.celeriac.autoconfigure.monitor;

import java.util.Map;
import java.util.UUID;

import io.celeriac.autoconfigure.CeleriacAutoConfiguration;
import io.celeriac.autoconfigure.events.EventsAutoConfiguration;
import io.celeriac.autoconfigure.result.ResultStoreAutoConfiguration;
import io.celeriac.autoconfigure.task.TaskAutoConfiguration;
import io.celeriac.events.EventDispatcher;
import io.celeriac.events.EventTransport;
import io.celeriac.events.LamportClock;
import io.celeriac.events.TaskEvents;
import io.celeriac.events.memory.InMemoryEventTransport;
import io.celeriac.monitor.TaskEventRecorder;
import io.celeriac.result.ResultStore;
import io.celeriac.result.TaskState;
import io.celeriac.result.memory.InMemoryResultStore;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for the task monitor's {@code celeriac.monitor.events}: off by default, the
 * {@link TaskEventRecorder} on the broker's event transport (without the task events of
 * {@code celeriac.events.*}), user bean wins.
 *
 * @author Celeriac team
 */
class MonitorEventsAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, CeleriacAutoConfiguration.class,
				ResultStoreAutoConfiguration.class, TaskAutoConfiguration.class, MonitorAutoConfiguration.class,
				EventsAutoConfiguration.class))
		.withPropertyValues("celeriac.result.type=memory", "celeriac.monitor.enabled=true");

	@Test
	void noEventRecorderByDefault() {
		this.contextRunner.run((context) -> {
			assertThat(context).doesNotHaveBean(TaskEventRecorder.class);
			assertThat(context).doesNotHaveBean(EventTransport.class);
		});
	}

	@Test
	void theMonitorRecordsOutcomesFromEvents() {
		this.contextRunner.withPropertyValues("celeriac.monitor.events=true").run((context) -> {
			assertThat(context).hasSingleBean(TaskEventRecorder.class);
			assertThat(context).doesNotHaveBean(TaskEvents.class);
			assertThat(context.getBean(TaskEventRecorder.class).isRunning()).isTrue();
			String id = UUID.randomUUID().toString();
			new EventDispatcher(context.getBean(EventTransport.class), "celery@python", new LamportClock())
				.send("task-succeeded", Map.of("uuid", id, "result", "42", "runtime", 0.1));
			assertThat(context.getBean(ResultStore.class).find(id).orElseThrow().state()).isEqualTo(TaskState.SUCCESS);
		});
	}

	@Test
	void userBeanWins() {
		TaskEventRecorder mine = new TaskEventRecorder(new InMemoryEventTransport(), new InMemoryResultStore());
		this.contextRunner.withPropertyValues("celeriac.monitor.events=true")
			.withBean("myRecorder", TaskEventRecorder.class, () -> mine)
			.run((context) -> assertThat(context.getBean(TaskEventRecorder.class)).isSameAs(mine));
	}

}
