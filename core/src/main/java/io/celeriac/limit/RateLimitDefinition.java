package io.celeriac.limit;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.springframework.util.Assert;

/**
 * How a {@link RateLimiter} is configured.
 *
 * @param limit how many acquisitions each key may make per period; at least 1
 * @param period the period; at least 1ms
 * @author Celeriac team
 */
public record RateLimitDefinition(int limit, Duration period) {

	private static final Pattern CELERY_RATE = Pattern.compile("(\\d+(?:\\.\\d*)?|\\.\\d+)(?:/([smh]?))?");

	public RateLimitDefinition {
		Assert.isTrue(limit >= 1, () -> "A rate limit must allow at least 1 per period, was " + limit);
		Assert.isTrue(period != null && period.toMillis() >= 1,
				() -> "A rate limit's period must be at least one millisecond, was " + period);
	}

	/**
	 * Returns the time between two acquisitions at the sustained rate.
	 * @return {@code period / limit}
	 */
	public Duration interval() {
		return this.period.dividedBy(this.limit);
	}

	/**
	 * Reads a rate in Celery's {@code rate_limit} format, as
	 * {@code celery.utils.time.rate} does: a number of acquisitions, a slash and a unit
	 * ({@code s}, {@code m} or {@code h}), e.g. {@code "10/m"}, {@code "100/s"},
	 * {@code "1000/h"}; a bare number is per second ({@code "100"}), and {@code "0"}
	 * means no limit, as in Celery. A whole number {@code n} per unit is {@code n} per
	 * that period (bursts of up to {@code n}); a fractional one such as {@code "0.5/s"}
	 * is one per {@code unit / n} (no burst).
	 * @param rate the rate, e.g. {@code "10/m"}
	 * @return the definition, or empty for {@code "0"} (no limit)
	 * @throws IllegalArgumentException if the rate is not in Celery's format or is too
	 * fast to keep (more than one per millisecond for a fractional rate)
	 */
	public static Optional<RateLimitDefinition> parse(String rate) {
		Assert.notNull(rate, "A rate must not be null");
		Matcher matcher = CELERY_RATE.matcher(rate.trim());
		if (!matcher.matches()) {
			throw new IllegalArgumentException("'" + rate
					+ "' is not a rate: use Celery's format, a number of acquisitions per second, minute or hour "
					+ "such as '100/s', '10/m' or '1000/h' (a bare number is per second, '0' means no limit)");
		}
		BigDecimal count = new BigDecimal(matcher.group(1));
		String unit = (matcher.group(2) != null) ? matcher.group(2) : "";
		Duration period = switch (unit) {
			case "m" -> Duration.ofMinutes(1);
			case "h" -> Duration.ofHours(1);
			default -> Duration.ofSeconds(1);
		};
		if (count.signum() == 0) {
			return Optional.empty();
		}
		try {
			if (count.stripTrailingZeros().scale() <= 0) {
				return Optional.of(new RateLimitDefinition(count.intValueExact(), period));
			}
			long nanos = new BigDecimal(period.toNanos()).divide(count, java.math.MathContext.DECIMAL64).longValue();
			return Optional.of(new RateLimitDefinition(1, Duration.ofNanos(nanos)));
		}
		catch (ArithmeticException | IllegalArgumentException ex) {
			throw new IllegalArgumentException("'" + rate + "' is too fast a rate to keep: at most " + Integer.MAX_VALUE
					+ " per period, and a fractional rate at most 1000/s", ex);
		}
	}

}
