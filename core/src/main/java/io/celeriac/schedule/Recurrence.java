package io.celeriac.schedule;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

import org.springframework.scheduling.support.CronExpression;

/**
 * When a schedule ticks: a cron expression in a time zone, or a fixed interval. Ticks are
 * the same in every process (fixed intervals count from the epoch), so that processes
 * agree on which tick is due and claim it by its time.
 *
 * @author Celeriac team
 */
public sealed interface Recurrence permits Recurrence.Cron, Recurrence.Every {

	/**
	 * Returns the first tick strictly after the given time.
	 * @param after the time
	 * @return the next tick, or {@code null} if there is none (a cron expression that
	 * never matches again)
	 */
	@Nullable Instant next(Instant after);

	/**
	 * Returns the latest tick at or before {@code atOrBefore} and strictly after
	 * {@code after}.
	 * @param atOrBefore the latest time the tick may have
	 * @param after the time the tick must be later than
	 * @return the tick, or {@code null} if there is none between the two
	 */
	default @Nullable Instant latest(Instant atOrBefore, Instant after) {
		// cron expressions only tell the next tick: look back over a window that doubles
		// until it holds a tick, then walk forward to the last one in it
		Duration window = Duration.ofSeconds(1);
		while (true) {
			Instant from = atOrBefore.minus(window);
			boolean bounded = !from.isAfter(after);
			Instant tick = next(bounded ? after : from);
			if (tick != null && !tick.isAfter(atOrBefore)) {
				Instant following = next(tick);
				while (following != null && !following.isAfter(atOrBefore)) {
					tick = following;
					following = next(tick);
				}
				return tick;
			}
			if (bounded) {
				return null;
			}
			window = window.multipliedBy(2);
		}
	}

	/**
	 * Describes the recurrence, e.g. {@code cron "0 0 9 * * MON-FRI" Europe/Paris} or
	 * {@code every PT30S}.
	 * @return the description
	 */
	String describe();

	/**
	 * Returns a cron recurrence.
	 * @param expression a Spring cron expression with seconds, e.g.
	 * {@code 0 *}{@code /5 * * * *}, or a macro such as {@code @daily}
	 * @param zone the zone the expression is read in
	 * @return the recurrence
	 * @throws IllegalArgumentException if the expression is not valid
	 */
	static Recurrence cron(String expression, ZoneId zone) {
		return new Cron(CronExpression.parse(expression), zone);
	}

	/**
	 * Returns a fixed-interval recurrence, ticking at every multiple of the interval
	 * since the epoch: every 30 seconds ticks at :00 and :30 of each minute.
	 * @param interval the interval, at least one millisecond
	 * @return the recurrence
	 * @throws IllegalArgumentException if the interval is shorter than a millisecond
	 */
	static Recurrence every(Duration interval) {
		return new Every(interval);
	}

	/**
	 * Reads an interval written as a number and a unit ({@code 500ms}, {@code 30s},
	 * {@code 5m}, {@code 1h}, {@code 1d}) or in ISO-8601 ({@code PT30S}).
	 * @param text the interval
	 * @return the duration
	 * @throws IllegalArgumentException if the text is neither
	 */
	static Duration parseInterval(String text) {
		Matcher simple = Every.SIMPLE.matcher(text.trim().toLowerCase(Locale.ROOT));
		if (simple.matches()) {
			long amount = Long.parseLong(simple.group(1));
			return switch (simple.group(2)) {
				case "ms" -> Duration.ofMillis(amount);
				case "", "s" -> Duration.ofSeconds(amount);
				case "m" -> Duration.ofMinutes(amount);
				case "h" -> Duration.ofHours(amount);
				default -> Duration.ofDays(amount);
			};
		}
		try {
			return Duration.parse(text.trim());
		}
		catch (DateTimeParseException ex) {
			throw new IllegalArgumentException(
					"'" + text + "' is not an interval; write e.g. 500ms, 30s, 5m, 1h, 1d or PT30S", ex);
		}
	}

	/**
	 * A cron expression read in a time zone.
	 *
	 * @param expression the expression
	 * @param zone the zone
	 */
	record Cron(CronExpression expression, ZoneId zone) implements Recurrence {

		@Override
		public @Nullable Instant next(Instant after) {
			ZonedDateTime next = this.expression.next(after.atZone(this.zone));
			return (next != null) ? next.toInstant() : null;
		}

		@Override
		public String describe() {
			return "cron \"" + this.expression + "\" " + this.zone;
		}

	}

	/**
	 * A fixed interval, counted from the epoch.
	 *
	 * @param interval the interval
	 */
	record Every(Duration interval) implements Recurrence {

		private static final Pattern SIMPLE = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d|)");

		public Every {
			if (interval.toMillis() < 1) {
				throw new IllegalArgumentException("A schedule's interval must be at least 1ms, not " + interval);
			}
		}

		@Override
		public Instant next(Instant after) {
			long step = this.interval.toMillis();
			return Instant.ofEpochMilli(Math.floorDiv(after.toEpochMilli(), step) * step + step);
		}

		@Override
		public @Nullable Instant latest(Instant atOrBefore, Instant after) {
			long step = this.interval.toMillis();
			Instant tick = Instant.ofEpochMilli(Math.floorDiv(atOrBefore.toEpochMilli(), step) * step);
			return tick.isAfter(after) ? tick : null;
		}

		@Override
		public String describe() {
			return "every " + this.interval;
		}

	}

}
