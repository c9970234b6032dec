package io.celeriac.autoconfigure.schedule;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import io.celeriac.autoconfigure.CeleriacAutoConfiguration;
import io.celeriac.autoconfigure.result.ResultStoreAutoConfiguration;
import io.celeriac.autoconfigure.task.TaskAutoConfiguration;
import io.celeriac.autoconfigure.worker.WorkerAutoConfiguration;
import io.celeriac.schedule.Recurring;
import io.celeriac.schedule.RecurringTaskScheduler;
import io.celeriac.task.CurrentTask;
import io.celeriac.task.Deferrable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.Banner;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Three application instances (three Spring contexts on one Redis broker) run an
 * every-second {@link Recurring @Recurring} task on a shared schedule store: each tick
 * runs exactly once, with no gap; then every instance stops, ticks come due while none
 * runs, and three new instances publish each of those missed ticks too (they are late by
 * less than the misfire threshold) and carry on. With a misfire threshold shorter than
 * the downtime, the new instances publish one catch-up tick for the missed ones instead
 * (the default {@code run-once} policy). Each store's test extends it.
 *
 * @author Celeriac team
 */
abstract class RecurringTasksAcrossInstancesTests {

	private static final Duration WAIT = Duration.ofSeconds(90);

	private static final int INSTANCES = 3;

	static final Map<String, AtomicInteger> RUNS = new ConcurrentHashMap<>();

	private final List<ConfigurableApplicationContext> instances = new ArrayList<>();

	/**
	 * Returns the properties of every instance: servers, isolation and the store.
	 * @return the properties, {@code name=value}
	 */
	protected abstract List<String> properties();

	@BeforeEach
	void forgetRuns() {
		RUNS.clear();
	}

	@AfterEach
	void stopEveryInstance() {
		stopAll();
	}

	@Test
	void eachTickRunsOnceAcrossInstancesAndRestartsOfEveryInstance() {
		startAll();
		Instant started = Instant.now();
		await().atMost(WAIT).until(() -> ticksRunAfter(started) >= 10);
		stopAll();
		Instant stopped = Instant.now();
		// ticks come due while no instance runs
		await().atMost(WAIT).until(() -> Instant.now().isAfter(stopped.plusMillis(3500)));
		Instant restarting = Instant.now();
		startAll();
		await().atMost(WAIT).until(() -> ticksRunAfter(restarting.plusSeconds(4)) >= 1);
		Instant lastClaimed = this.instances.get(0)
			.getBean(RecurringTaskScheduler.class)
			.store()
			.lastTick("beat")
			.orElseThrow();
		await().atMost(WAIT).until(() -> runs().containsKey(lastClaimed));

		Map<Instant, Integer> runs = runs();
		assertThat(runs).allSatisfy((tick, count) -> assertThat(count).as("runs of tick %s", tick).isOne());
		List<Instant> ticks = new ArrayList<>(runs.keySet());
		for (int i = 1; i < ticks.size(); i++) {
			assertThat(Duration.between(ticks.get(i - 1), ticks.get(i))).as("after tick %s", ticks.get(i - 1))
				.isEqualTo(Duration.ofSeconds(1));
		}
		assertThat(ticks).as("ticks due while no instance ran, published after the restart")
			.filteredOn((tick) -> tick.isAfter(stopped) && tick.isBefore(restarting))
			.hasSizeGreaterThanOrEqualTo(3);
	}

	@Test
	void afterADowntimeLongerThanTheMisfireThresholdOneCatchUpTickRunsForTheMissedOnes() {
		startAll();
		Instant started = Instant.now();
		await().atMost(WAIT).until(() -> ticksRunAfter(started) >= 3);
		stopAll();
		Instant stopped = Instant.now();
		await().atMost(WAIT).until(() -> Instant.now().isAfter(stopped.plusSeconds(5)));
		Instant restarting = Instant.now();
		startAll("celeriac.recurring.misfire-threshold=1s");
		Instant restarted = Instant.now();
		await().atMost(WAIT).until(() -> ticksRunAfter(restarting.plusSeconds(3)) >= 1);

		Map<Instant, Integer> runs = runs();
		assertThat(runs).allSatisfy((tick, count) -> assertThat(count).as("runs of tick %s", tick).isOne());
		Instant lastBeforeStop = runs.keySet()
			.stream()
			.filter((tick) -> !tick.isAfter(stopped))
			.reduce((first, second) -> second)
			.orElseThrow();
		// ticks from lastBeforeStop to a second before the restart were missed by more
		// than
		// the threshold when the new instances first looked: at most the catch-up one ran
		Instant missedBefore = restarting.minusSeconds(1);
		assertThat(Duration.between(lastBeforeStop, missedBefore)).as("missed ticks")
			.isGreaterThan(Duration.ofSeconds(3));
		assertThat(runs.keySet()).as("ticks run for those missed longer than the threshold")
			.filteredOn((tick) -> tick.isAfter(lastBeforeStop) && !tick.isAfter(missedBefore))
			.hasSizeLessThanOrEqualTo(1);
		List<Instant> afterRestart = runs.keySet().stream().filter((tick) -> tick.isAfter(lastBeforeStop)).toList();
		assertThat(afterRestart).as("the catch-up tick and the ticks after it").isNotEmpty();
		assertThat(afterRestart.get(0)).as("the catch-up tick").isBefore(restarted);
		for (int i = 1; i < afterRestart.size(); i++) {
			assertThat(Duration.between(afterRestart.get(i - 1), afterRestart.get(i)))
				.as("after tick %s", afterRestart.get(i - 1))
				.isEqualTo(Duration.ofSeconds(1));
		}
	}

	private long ticksRunAfter(Instant time) {
		return runs().keySet().stream().filter((tick) -> tick.isAfter(time)).count();
	}

	/**
	 * Every tick run so far, by its time, with how many times it ran.
	 */
	private static Map<Instant, Integer> runs() {
		Map<Instant, Integer> runs = new TreeMap<>();
		RUNS.forEach((id, count) -> runs.put(Instant.parse(id.substring(id.indexOf('@') + 1)), count.get()));
		return runs;
	}

	private void startAll(String... more) {
		List<String> properties = new ArrayList<>(properties());
		properties.addAll(List.of(more));
		for (int i = 0; i < INSTANCES; i++) {
			this.instances.add(new SpringApplicationBuilder(Instance.class).web(WebApplicationType.NONE)
				.bannerMode(Banner.Mode.OFF)
				.properties(properties.toArray(String[]::new))
				.run());
		}
	}

	private void stopAll() {
		this.instances.forEach(ConfigurableApplicationContext::close);
		this.instances.clear();
	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ JacksonAutoConfiguration.class, DataRedisAutoConfiguration.class,
			DataSourceAutoConfiguration.class, CeleriacAutoConfiguration.class, ResultStoreAutoConfiguration.class,
			TaskAutoConfiguration.class, WorkerAutoConfiguration.class, RecurringTaskAutoConfiguration.class })
	static class Instance {

		@Bean
		Beat beat() {
			return new Beat();
		}

	}

	static class Beat {

		@Deferrable(name = "ticks.beat")
		@Recurring(every = "1s", name = "beat")
		public void beat() {
			CurrentTask current = CurrentTask.get();
			RUNS.computeIfAbsent((current != null) ? current.id() : "none@" + Instant.EPOCH,
					(id) -> new AtomicInteger())
				.incrementAndGet();
		}

	}

}
