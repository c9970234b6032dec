package io.celeriac.revoke.jdbc;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

import javax.sql.DataSource;

import io.celeriac.revoke.RevokedTaskStore;

import org.springframework.core.io.ClassPathResource;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.init.ResourceDatabasePopulator;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A {@link RevokedTaskStore} in a SQL database (PostgreSQL or H2), usually the result
 * database: the table {@code celeriac_revoked} holds each id with when it was revoked,
 * and every {@link #add} forgets the ids past the limits.
 *
 * @author Celeriac team
 */
public class JdbcRevokedTaskStore implements RevokedTaskStore {

	/**
	 * The script that creates the table, if it does not exist.
	 */
	public static final String SCHEMA = "io/celeriac/revoke/jdbc/schema.sql";

	private final DataSource dataSource;

	private final JdbcTemplate jdbc;

	private final TransactionTemplate transactions;

	private final Limits limits;

	private final Clock clock;

	/**
	 * Creates a store on the given database.
	 * @param dataSource the database, where {@link #SCHEMA} has been applied
	 * @param limits how many ids it keeps and for how long
	 */
	public JdbcRevokedTaskStore(DataSource dataSource, Limits limits) {
		this(dataSource, limits, Clock.systemUTC());
	}

	/**
	 * Creates a store on the given database and clock.
	 * @param dataSource the database, where {@link #SCHEMA} has been applied
	 * @param limits how many ids it keeps and for how long
	 * @param clock tells when an id is too old
	 */
	public JdbcRevokedTaskStore(DataSource dataSource, Limits limits, Clock clock) {
		this.dataSource = dataSource;
		this.jdbc = new JdbcTemplate(dataSource);
		this.transactions = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
		this.limits = limits;
		this.clock = clock;
	}

	/**
	 * Creates the table if it does not exist.
	 */
	public void initializeSchema() {
		new ResourceDatabasePopulator(new ClassPathResource(SCHEMA)).execute(this.dataSource);
	}

	@Override
	public void add(Collection<String> ids, Instant revokedAt) {
		Timestamp at = Timestamp.from(revokedAt);
		for (String id : ids) {
			if (this.jdbc.update("UPDATE celeriac_revoked SET revoked_at = ? WHERE task_id = ?", at, id) == 0) {
				try {
					this.jdbc.update("INSERT INTO celeriac_revoked (task_id, revoked_at) VALUES (?, ?)", id, at);
				}
				catch (DuplicateKeyException ex) {
					// another worker inserted it meanwhile
					this.jdbc.update("UPDATE celeriac_revoked SET revoked_at = ? WHERE task_id = ?", at, id);
				}
			}
		}
		this.transactions.executeWithoutResult((status) -> {
			this.jdbc.update("DELETE FROM celeriac_revoked WHERE revoked_at <= ?", oldest());
			this.jdbc.update("DELETE FROM celeriac_revoked WHERE task_id IN (SELECT task_id FROM celeriac_revoked "
					+ "ORDER BY revoked_at DESC, task_id OFFSET ? ROWS)", this.limits.maxCount());
		});
	}

	@Override
	public boolean contains(String id) {
		Integer found = this.jdbc.queryForObject(
				"SELECT COUNT(*) FROM celeriac_revoked WHERE task_id = ? AND revoked_at > ?", Integer.class, id,
				oldest());
		return found != null && found > 0;
	}

	@Override
	public Map<String, Instant> revoked() {
		Map<String, Instant> revoked = new LinkedHashMap<>();
		this.jdbc.query("SELECT task_id, revoked_at FROM celeriac_revoked WHERE revoked_at > ? "
				+ "ORDER BY revoked_at DESC, task_id FETCH FIRST ? ROWS ONLY", (row) -> {
					revoked.put(row.getString(1), row.getTimestamp(2).toInstant());
				}, oldest(), this.limits.maxCount());
		return revoked;
	}

	private Timestamp oldest() {
		return Timestamp.from(this.clock.instant().minus(this.limits.maxAge()));
	}

}
