package io.celeriac.schedule.jdbc;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import javax.sql.DataSource;

import io.celeriac.schedule.ScheduleStore;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A {@link ScheduleStore} in a SQL database, one row per schedule in
 * {@code celeriac_schedule} (created by the scripts at {@link #SCHEMA_LOCATION}). A tick
 * is claimed by an {@code UPDATE} that only matches an earlier last tick, or by the
 * {@code INSERT} of the schedule's first row, whose primary key lets one process in; the
 * database's row lock makes either atomic.
 *
 * @author Celeriac team
 */
public class JdbcScheduleStore implements ScheduleStore {

	/**
	 * Where the schema scripts are, with Spring Boot's platform placeholder.
	 */
	public static final String SCHEMA_LOCATION = "classpath:io/celeriac/schedule/jdbc/schema-@@platform@@.sql";

	private final JdbcTemplate jdbc;

	/**
	 * Creates a store.
	 * @param dataSource the database, with the {@code celeriac_schedule} table
	 */
	public JdbcScheduleStore(DataSource dataSource) {
		this.jdbc = new JdbcTemplate(dataSource);
	}

	@Override
	public boolean claim(String schedule, Instant tick) {
		if (advance(schedule, tick)) {
			return true;
		}
		try {
			return this.jdbc.update("INSERT INTO celeriac_schedule (name, last_tick, claimed_at) VALUES (?, ?, ?)",
					schedule, tick.toEpochMilli(), Timestamp.from(Instant.now())) == 1;
		}
		catch (DuplicateKeyException ex) {
			// the row exists (or was just inserted by another process): claim on it
			return advance(schedule, tick);
		}
	}

	private boolean advance(String schedule, Instant tick) {
		return this.jdbc.update(
				"UPDATE celeriac_schedule SET last_tick = ?, claimed_at = ? WHERE name = ? AND last_tick < ?",
				tick.toEpochMilli(), Timestamp.from(Instant.now()), schedule, tick.toEpochMilli()) == 1;
	}

	@Override
	public Optional<Instant> lastTick(String schedule) {
		List<Long> last = this.jdbc.queryForList("SELECT last_tick FROM celeriac_schedule WHERE name = ?", Long.class,
				schedule);
		return last.stream().findFirst().map(Instant::ofEpochMilli);
	}

}
