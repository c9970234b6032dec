package io.celeriac.test.result;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;

import javax.sql.DataSource;

import io.celeriac.result.BatchingResultStore;
import io.celeriac.result.CeleryResultFormat;
import io.celeriac.result.ResultStore;
import io.celeriac.result.ResultStoreUnavailableException;
import io.celeriac.result.TaskResult;
import io.celeriac.result.TaskState;
import io.celeriac.result.jdbc.JdbcResultStore;
import io.celeriac.result.memory.InMemoryResultStore;
import io.celeriac.test.services.PostgresEndpoint;
import io.celeriac.test.services.RealServices;
import io.celeriac.test.services.ServiceIsolation;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.IntNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * How the batching writer behaves when things go wrong: an unreachable database (the real
 * PostgreSQL behind a DataSource that can be switched to throw
 * {@link SQLTransientConnectionException}, as a pool does when it gets no connection), a
 * writer that meets an {@link Error}, a full queue and callers that gave up.
 *
 * @author Celeriac team
 */
@RealServices
class BatchingResultStoreFaultTests {

	private final DataSource postgres;

	BatchingResultStoreFaultTests(PostgresEndpoint postgres, ServiceIsolation isolation) {
		this.postgres = ResultDatabases.postgresql(postgres, isolation);
	}

	@Test
	void anUnreachableDatabaseFailsTheBatchWithoutRowByRowRetriesAndRecovers() throws Exception {
		SwitchableDataSource dataSource = new SwitchableDataSource(this.postgres);
		BatchingResultStore store = new BatchingResultStore(
				new JdbcResultStore(dataSource, new CeleryResultFormat(new JsonMapper())), 16, 1,
				Duration.ofSeconds(30), 100);
		try {
			dataSource.down.set(true);
			String lost = UUID.randomUUID().toString();
			assertThatThrownBy(() -> store.save(success(lost))).isInstanceOf(ResultStoreUnavailableException.class)
				.hasMessageContaining("unreachable since");
			// one attempt for the batch, none for its rows one by one
			assertThat(dataSource.attempts.get()).isEqualTo(1);
			BatchingResultStore.WriterStatus status = store.status();
			assertThat(status.unreachableSince()).isNotNull();
			assertThat(status.lastFailure()).contains("SQLTransientConnectionException");
			assertThat(status.capacity()).isEqualTo(100);

			dataSource.down.set(false);
			String saved = UUID.randomUUID().toString();
			await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50)).untilAsserted(() -> {
				try {
					store.save(success(saved));
				}
				catch (ResultStoreUnavailableException ex) {
					throw new AssertionError("still unreachable", ex);
				}
			});
			assertThat(store.status().unreachableSince()).isNull();
			assertThat(store.find(saved)).isPresent();
			assertThat(store.find(lost)).isEmpty();
		}
		finally {
			store.destroy();
		}
	}

	@Test
	void aWriterOutlivesAnError() throws Exception {
		AtomicBoolean fail = new AtomicBoolean(true);
		InMemoryResultStore target = new InMemoryResultStore();
		ResultStore delegate = new Delegating(target) {

			@Override
			public void saveAll(List<TaskResult> results) {
				if (fail.getAndSet(false)) {
					throw new StackOverflowError("thrown by the test");
				}
				super.saveAll(results);
			}

		};
		BatchingResultStore store = new BatchingResultStore(delegate, 16, 1, Duration.ofSeconds(30), 100);
		try {
			assertThatIllegalStateException().isThrownBy(() -> store.save(success(UUID.randomUUID().toString())))
				.withMessageContaining("StackOverflowError");
			String id = UUID.randomUUID().toString();
			store.save(success(id));
			assertThat(target.find(id)).isPresent();
			assertThat(store.status().lastFailure()).contains("thrown by the test");
		}
		finally {
			store.destroy();
		}
	}

	@Test
	void aFullQueueMakesASaveWaitThenFailAndResultsWhoseCallersGaveUpAreNotWritten() throws Exception {
		CountDownLatch writing = new CountDownLatch(1);
		CountDownLatch release = new CountDownLatch(1);
		InMemoryResultStore target = new InMemoryResultStore();
		ResultStore delegate = new Delegating(target) {

			@Override
			public void saveAll(List<TaskResult> results) {
				writing.countDown();
				try {
					release.await();
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
				super.saveAll(results);
			}

		};
		BatchingResultStore store = new BatchingResultStore(delegate, 16, 1, Duration.ofMillis(1500), 2);
		ExecutorService callers = Executors.newFixedThreadPool(3);
		try {
			String inFlight = UUID.randomUUID().toString();
			CompletableFuture<Void> first = CompletableFuture.runAsync(() -> store.save(success(inFlight)), callers);
			assertThat(writing.await(10, TimeUnit.SECONDS)).isTrue();
			String gaveUp1 = UUID.randomUUID().toString();
			String gaveUp2 = UUID.randomUUID().toString();
			CompletableFuture<Void> second = CompletableFuture.runAsync(() -> store.save(success(gaveUp1)), callers);
			CompletableFuture<Void> third = CompletableFuture.runAsync(() -> store.save(success(gaveUp2)), callers);
			await().atMost(Duration.ofSeconds(10)).until(() -> store.status().queued() == 2);

			assertThatIllegalStateException().isThrownBy(() -> store.save(success(UUID.randomUUID().toString())))
				.withMessageContaining("celeriac.result.queue-capacity");
			await().atMost(Duration.ofSeconds(10))
				.until(() -> second.isCompletedExceptionally() && third.isCompletedExceptionally());

			release.countDown();
			String later = UUID.randomUUID().toString();
			store.save(success(later));
			assertThat(target.find(later)).isPresent();
			assertThat(target.find(inFlight)).isPresent();
			assertThat(target.find(gaveUp1)).isEmpty();
			assertThat(target.find(gaveUp2)).isEmpty();
			await().atMost(Duration.ofSeconds(10)).until(first::isDone);
		}
		finally {
			release.countDown();
			callers.shutdownNow();
			store.destroy();
		}
	}

	private static TaskResult success(String id) {
		return new TaskResult(id, TaskState.SUCCESS, IntNode.valueOf(1), null, "tests.batch", null, null, null, 0, null,
				null);
	}

	/**
	 * A store that passes every call to another, for tests that change one of them.
	 */
	private static class Delegating implements ResultStore {

		private final ResultStore target;

		Delegating(ResultStore target) {
			this.target = target;
		}

		@Override
		public void save(TaskResult result) {
			this.target.save(result);
		}

		@Override
		public void saveAll(List<TaskResult> results) {
			results.forEach(this::save);
		}

		@Override
		public boolean saveUnlessFinal(TaskResult result) {
			return this.target.saveUnlessFinal(result);
		}

		@Override
		public Optional<TaskResult> find(String taskId) {
			return this.target.find(taskId);
		}

	}

	/**
	 * The real database, or, when switched down, a pool that gets no connection.
	 */
	private static final class SwitchableDataSource implements DataSource {

		private final DataSource target;

		private final AtomicBoolean down = new AtomicBoolean();

		private final AtomicInteger attempts = new AtomicInteger();

		private SwitchableDataSource(DataSource target) {
			this.target = target;
		}

		@Override
		public Connection getConnection() throws SQLException {
			if (this.down.get()) {
				this.attempts.incrementAndGet();
				throw new SQLTransientConnectionException("Connection is not available (switched down by the test)");
			}
			return this.target.getConnection();
		}

		@Override
		public Connection getConnection(String username, String password) throws SQLException {
			return getConnection();
		}

		@Override
		public PrintWriter getLogWriter() throws SQLException {
			return this.target.getLogWriter();
		}

		@Override
		public void setLogWriter(PrintWriter out) throws SQLException {
			this.target.setLogWriter(out);
		}

		@Override
		public void setLoginTimeout(int seconds) throws SQLException {
			this.target.setLoginTimeout(seconds);
		}

		@Override
		public int getLoginTimeout() throws SQLException {
			return this.target.getLoginTimeout();
		}

		@Override
		public Logger getParentLogger() throws SQLFeatureNotSupportedException {
			return Logger.getGlobal();
		}

		@Override
		public <T> T unwrap(Class<T> type) throws SQLException {
			throw new SQLException("Not a wrapper");
		}

		@Override
		public boolean isWrapperFor(Class<?> type) {
			return false;
		}

	}

}
