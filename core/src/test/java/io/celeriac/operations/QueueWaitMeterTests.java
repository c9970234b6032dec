package io.celeriac.operations;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.celeriac.execution.MetadataContributor;
import io.celeriac.protocol.CeleryTime;
import io.celeriac.protocol.TaskBody;
import io.celeriac.protocol.TaskHeaders;
import io.celeriac.protocol.TaskMessage;
import io.celeriac.protocol.TimeLimit;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link QueueWaitMeter}, on fixed clocks.
 */
class QueueWaitMeterTests {

	private static final Instant SENT = Instant.parse("2026-12-02T03:00:00Z");

	private final MeterRegistry registry = new SimpleMeterRegistry();

	private final JsonMapper json = JsonMapper.builder().build();

	@Test
	void theWaitRunsFromTheProducersStampToTheRun() throws Throwable {
		String stamp = meterAt(SENT).produce();
		assertThat(run(meterAt(SENT.plusMillis(750)), stamp, null)).isEqualTo("ran");
		assertThat(timer().count()).isEqualTo(1);
		assertThat(timer().totalTime(TimeUnit.MILLISECONDS)).isEqualTo(750);
	}

	@Test
	void aDelayedTaskWaitsFromItsEta() throws Throwable {
		String stamp = meterAt(SENT).produce();
		run(meterAt(SENT.plusSeconds(60).plusMillis(40)), stamp, SENT.plusSeconds(60));
		assertThat(timer().totalTime(TimeUnit.MILLISECONDS)).isEqualTo(40);
	}

	@Test
	void tasksWithoutAStampOrWithAMalformedOneRunUnmeasured() throws Throwable {
		assertThat(run(meterAt(SENT), null, null)).isEqualTo("ran");
		assertThat(run(meterAt(SENT), "yesterday", null)).isEqualTo("ran");
		assertThat(this.registry.find(QueueWaitMeter.QUEUED).timer()).isNull();
	}

	private QueueWaitMeter meterAt(Instant now) {
		return new QueueWaitMeter(this.registry, Clock.fixed(now, ZoneOffset.UTC));
	}

	private @Nullable Object run(QueueWaitMeter meter, @Nullable String stamp, @Nullable Instant eta) throws Throwable {
		Map<String, @Nullable Object> extra = new HashMap<>();
		if (stamp != null) {
			extra.put(MetadataContributor.HEADER_PREFIX + meter.namespace(), stamp);
		}
		TaskHeaders headers = new TaskHeaders("java", "reports.render", "id-1", null, CeleryTime.format(eta), null,
				null, null, 0, TimeLimit.NONE, "id-1", null, "()", "{}", "gen1@host", false, extra);
		TaskBody body = new TaskBody(this.json.createArrayNode(), this.json.createObjectNode(),
				this.json.createObjectNode());
		return meter.intercept(new TaskMessage(headers, body, "", 0, null), () -> "ran");
	}

	private Timer timer() {
		return this.registry.get(QueueWaitMeter.QUEUED).tag("name", "reports.render").timer();
	}

}
