package io.celeriac.test.limit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import io.celeriac.limit.RateLimitDefinition;
import io.celeriac.test.celery.PythonCelery;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.within;

/**
 * The contract of {@link RateLimitDefinition#parse(String)}: it reads Celery's
 * {@code rate_limit} strings to the same rate as Celery 5.2.6's
 * {@code celery.utils.time.rate}, and rejects anything else with a message that shows the
 * format.
 *
 * @author Celeriac team
 */
class CeleryRateFormatTests {

	private static final List<String> CELERY_RATES = List.of("100/s", "10/m", "1000/h", "100", "1", "10/", "0.5/s",
			"2.5/m", "1.0/h", "0", "0/m", "250/m", "3600/h");

	@Test
	void readsEachUnitAndABareNumberPerSecond() {
		assertThat(RateLimitDefinition.parse("100/s")).contains(new RateLimitDefinition(100, Duration.ofSeconds(1)));
		assertThat(RateLimitDefinition.parse("10/m")).contains(new RateLimitDefinition(10, Duration.ofMinutes(1)));
		assertThat(RateLimitDefinition.parse("1000/h")).contains(new RateLimitDefinition(1000, Duration.ofHours(1)));
		assertThat(RateLimitDefinition.parse("100")).contains(new RateLimitDefinition(100, Duration.ofSeconds(1)));
		assertThat(RateLimitDefinition.parse("20/s").orElseThrow().interval()).isEqualTo(Duration.ofMillis(50));
	}

	@Test
	void aFractionalRateIsOneEveryUnitDividedByIt() {
		assertThat(RateLimitDefinition.parse("0.5/s")).contains(new RateLimitDefinition(1, Duration.ofSeconds(2)));
		assertThat(RateLimitDefinition.parse("2.5/m")).contains(new RateLimitDefinition(1, Duration.ofSeconds(24)));
		assertThat(RateLimitDefinition.parse("4.0/s")).contains(new RateLimitDefinition(4, Duration.ofSeconds(1)));
	}

	@Test
	void zeroMeansNoLimitAsInCelery() {
		assertThat(RateLimitDefinition.parse("0")).isEmpty();
		assertThat(RateLimitDefinition.parse("0/m")).isEmpty();
		assertThat(RateLimitDefinition.parse("0.0/h")).isEmpty();
	}

	@Test
	void anythingElseIsRejectedWithTheFormat() {
		for (String bad : List.of("", "abc", "10/x", "10/min", "-1/s", "1/2/s", "ten/s", "10/ s", "1e3/s")) {
			assertThatIllegalArgumentException().as(bad)
				.isThrownBy(() -> RateLimitDefinition.parse(bad))
				.withMessageContaining("'" + bad + "'")
				.withMessageContaining("'10/m'");
		}
		assertThatIllegalArgumentException().isThrownBy(() -> RateLimitDefinition.parse("99999999999/s"))
			.withMessageContaining("too fast");
		assertThatIllegalArgumentException().isThrownBy(() -> RateLimitDefinition.parse("1000.5/s"))
			.withMessageContaining("too fast");
	}

	@Test
	void readsEachRateAsCeleryDoes() throws IOException, InterruptedException {
		PythonCelery python = PythonCelery.assumeInstalled();
		List<String> command = new ArrayList<>(List.of(python.python().toString(), "-c",
				"import sys\nfrom celery.utils.time import rate\nfor r in sys.argv[1:]: print(repr(float(rate(r))))"));
		command.addAll(CELERY_RATES);
		Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
		assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
		List<String> perSecond = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines()
			.toList();
		assertThat(process.exitValue()).as("%s", perSecond).isZero();
		assertThat(perSecond).hasSameSizeAs(CELERY_RATES);
		for (int i = 0; i < CELERY_RATES.size(); i++) {
			double celery = Double.parseDouble(perSecond.get(i));
			Optional<RateLimitDefinition> ours = RateLimitDefinition.parse(CELERY_RATES.get(i));
			double rate = ours.map((definition) -> definition.limit() * 1e9 / definition.period().toNanos())
				.orElse(0.0);
			assertThat(rate).as("%s per second", CELERY_RATES.get(i)).isCloseTo(celery, within(celery * 1e-9));
		}
	}

}
