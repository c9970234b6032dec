package io.celeriac.test.registry;

import java.time.Duration;

import io.celeriac.protocol.Origin;
import io.celeriac.registry.WorkerDescription;
import io.celeriac.worker.WorkerHeartbeat;
import io.celeriac.registry.redis.RedisWorkerRegistry;
import io.celeriac.test.process.ChildProcess;
import io.celeriac.test.process.JavaProcess;
import io.celeriac.test.redis.RedisConnections;
import io.celeriac.test.services.RealServices;
import io.celeriac.test.services.RedisEndpoint;
import io.celeriac.test.services.ServiceIsolation;
import io.celeriac.worker.WorkerSettings;
import org.junit.jupiter.api.Test;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two worker processes on one host, both named by default, on the real Redis worker
 * registry: two entries, and the one that stops unregisters only itself.
 *
 * @author Celeriac team
 */
@RealServices
class WorkerProcessesOnOneHostTests {

	private static final Duration WAIT = Duration.ofSeconds(30);

	@Test
	void twoWorkerProcessesAreTwoEntriesAndStoppingOneLeavesTheOther(RedisEndpoint redis, ServiceIsolation isolation) {
		LettuceConnectionFactory connections = RedisConnections.start(redis.host(), redis.port());
		RedisWorkerRegistry registry = new RedisWorkerRegistry(connections, isolation.redisKeyPrefix());
		WorkerHeartbeat here = RegisteredWorkerMain.heartbeat(registry);
		String ownId = here.describe().id();
		try (ChildProcess child = JavaProcess.of(RegisteredWorkerMain.class)
			.arguments(redis.host(), Integer.toString(redis.port()), isolation.redisKeyPrefix())
			.start()) {
			here.start();
			String childId = child.awaitLine((line) -> line.startsWith("registered "), "registered <id>", WAIT)
				.substring("registered ".length())
				.trim();
			assertThat(ownId).isEqualTo(WorkerSettings.defaultName(Origin.hostName(), ProcessHandle.current().pid()));
			assertThat(childId).isEqualTo(WorkerSettings.defaultName(Origin.hostName(), child.pid()));
			await().atMost(WAIT)
				.until(() -> registry.workers().stream().map(WorkerDescription::id).toList(),
						(ids) -> ids.contains(ownId) && ids.contains(childId));
			// SIGTERM: the child's shutdown hook unregisters it; the window (2 minutes)
			// is
			// far longer than this wait, so only unregistering removes it
			child.stop(WAIT);
			await().atMost(WAIT).until(() -> registry.find(childId).isEmpty());
			assertThat(registry.find(ownId)).isPresent();
			here.stop();
			assertThat(registry.find(ownId)).isEmpty();
		}
		finally {
			here.stop();
			connections.destroy();
		}
	}

}
