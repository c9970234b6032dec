package io.celeriac.autoconfigure.worker;

import java.util.concurrent.atomic.AtomicInteger;

import io.celeriac.cache.CacheRegion;
import io.celeriac.limit.Limited;
import io.celeriac.lock.Locked;
import io.celeriac.task.Deferrable;
import io.celeriac.task.TaskHandle;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.annotation.Transactional;

/**
 * Task methods with advice besides {@code @Deferrable}, counting how often each body
 * runs.
 *
 * @author Celeriac team
 */
public class ProxiedTasks {

	static final String LOCK_KEY = "proxied-lock";

	/**
	 * A limiter of one place, which the tests configure.
	 */
	static final String LIMITER = "proxied";

	private final AtomicInteger inserts = new AtomicInteger();

	private final AtomicInteger lockedRuns = new AtomicInteger();

	private final AtomicInteger doubleRuns = new AtomicInteger();

	private final AtomicInteger squareRuns = new AtomicInteger();

	private final AtomicInteger limitedRuns = new AtomicInteger();

	private final JdbcTemplate jdbc;

	private final ObjectProvider<ProxiedTasks> self;

	public ProxiedTasks(JdbcTemplate jdbc, ObjectProvider<ProxiedTasks> self) {
		this.jdbc = jdbc;
		this.self = self;
	}

	// read through the proxy, which passes these calls to the bean

	public int inserts() {
		return this.inserts.get();
	}

	public int lockedRuns() {
		return this.lockedRuns.get();
	}

	public int doubleRuns() {
		return this.doubleRuns.get();
	}

	public int limitedRuns() {
		return this.limitedRuns.get();
	}

	public int squareRuns() {
		return this.squareRuns.get();
	}

	public void createTable() {
		this.jdbc.execute("create table if not exists proxied_rows (name varchar(100))");
	}

	public int rows(String name) {
		Integer count = this.jdbc.queryForObject("select count(*) from proxied_rows where name = ?", Integer.class,
				name);
		return (count != null) ? count : 0;
	}

	@Deferrable(name = "proxied.insert")
	@Transactional
	public TaskHandle<Integer> insert(String name) {
		this.inserts.incrementAndGet();
		return TaskHandle.completed(this.jdbc.update("insert into proxied_rows (name) values (?)", name));
	}

	@Deferrable(name = "proxied.insertThenFail")
	@Transactional
	public TaskHandle<Integer> insertThenFail(String name) {
		this.jdbc.update("insert into proxied_rows (name) values (?)", name);
		this.inserts.incrementAndGet();
		throw new IllegalStateException("Failing after inserting " + name);
	}

	@Deferrable(name = "proxied.locked")
	@Locked(key = "'" + LOCK_KEY + "'", timeout = "0s")
	public TaskHandle<String> locked(String value) {
		this.lockedRuns.incrementAndGet();
		return TaskHandle.completed("ran " + value);
	}

	@Deferrable(name = "proxied.limited")
	@Limited(LIMITER)
	public TaskHandle<String> limited(String value) {
		this.limitedRuns.incrementAndGet();
		return TaskHandle.completed("limited " + value);
	}

	@Deferrable(name = "proxied.double")
	public TaskHandle<Integer> twice(int value) {
		this.doubleRuns.incrementAndGet();
		return TaskHandle.completed(value * 2);
	}

	@Deferrable(name = "proxied.square")
	@CacheRegion("proxied")
	public TaskHandle<Integer> square(int value) {
		this.squareRuns.incrementAndGet();
		return TaskHandle.completed(value * value);
	}

	/**
	 * Calls another task method through the bean: that call is sent as a task, not run
	 * here.
	 * @param value the child's argument
	 * @return the child task's id
	 */
	@Deferrable(name = "proxied.parent")
	public TaskHandle<String> parent(int value) {
		return TaskHandle.completed(this.self.getObject().twice(value).id());
	}

}
