package io.celeriac.test.processing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import io.celeriac.processing.OperationOutcome;
import io.celeriac.processing.ProcessingOutcome;
import io.celeriac.processing.redis.RedisOperationStore;
import io.celeriac.test.broker.RabbitTestBroker;
import io.celeriac.test.process.ChildProcess;
import io.celeriac.test.process.JavaProcess;
import io.celeriac.test.processing.Documents.Callback;
import io.celeriac.test.processing.Documents.Reply;
import io.celeriac.test.services.RabbitEndpoint;
import io.celeriac.test.services.RealServices;
import io.celeriac.test.services.RedisEndpoint;
import io.celeriac.test.services.ServiceIsolation;
import io.celeriac.topology.Topology;
import org.junit.jupiter.api.Test;

import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A worker process killed with SIGKILL in the middle of a processing (in the operation,
 * or in the callback after the result was stored) loses no caller: RabbitMQ gives the
 * unacknowledged processing task to the next worker, which runs the operation again, and
 * the one callback it runs carries the callback arguments of every caller, those who
 * asked before the kill and those who asked after it.
 *
 * @author Celeriac team
 */
@RealServices
class KilledProcessingWorkerTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(90);

	private static final String URI = "doc:survivor";

	@Test
	void aProcessingInterruptedBySigkillRunsAgainAndEveryCallerIsCalledBackOnce(RabbitEndpoint rabbit,
			RedisEndpoint redis, ServiceIsolation isolation) throws Exception {
		killedWhile("operation", "processing measure " + URI, rabbit, redis, isolation);
	}

	@Test
	void aCallbackInterruptedBySigkillRunsAgainForEveryCaller(RabbitEndpoint rabbit, RedisEndpoint redis,
			ServiceIsolation isolation) throws Exception {
		killedWhile("callback", "calling back measure " + URI, rabbit, redis, isolation);
	}

	private void killedWhile(String mode, String line, RabbitEndpoint rabbit, RedisEndpoint redis,
			ServiceIsolation isolation) throws Exception {
		RabbitTestBroker broker = new RabbitTestBroker(rabbit, isolation);
		LettuceConnectionFactory redisConnections = new LettuceConnectionFactory(
				new RedisStandaloneConfiguration(redis.host(), redis.port()));
		redisConnections.afterPropertiesSet();
		redisConnections.start();
		ExecutorService callers = Executors.newFixedThreadPool(50);
		String keyPrefix = isolation.redisKeyPrefix() + UUID.randomUUID() + ":";
		Topology topology = broker.newTopology(CachedOperationsContractTests.SERVICE,
				CachedOperationsContractTests.QUARANTINE_SERVICE);
		broker.broker().declare(topology);
		ProcessingStack stack = ProcessingStack.of(broker.broker(), topology,
				new RedisOperationStore(redisConnections, keyPrefix), "survivor@test", 2);
		try {
			List<OperationOutcome> outcomes = new ArrayList<>();
			try (ChildProcess child = JavaProcess.of(ProcessingWorkerMain.class)
				.arguments(rabbit.host(), Integer.toString(rabbit.port()), rabbit.username(), rabbit.password(),
						rabbit.virtualHost(), topology.exchange(), topology.queueNamePrefix(), redis.host(),
						Integer.toString(redis.port()), keyPrefix, mode)
				.start()) {
				child.awaitLine("worker ready", TIMEOUT);
				outcomes.addAll(request(stack, callers, "before-", 50));
				child.awaitLine(line, TIMEOUT);
				assertThat(child.kill()).isNotZero();
			}
			// killed in the callback, the result was stored: later callers get it at once
			boolean resultStored = mode.equals("callback");
			List<OperationOutcome> after = request(stack, callers, "after-", 50);
			if (resultStored) {
				assertThat(after).allMatch(OperationOutcome::isHit);
			}
			else {
				outcomes.addAll(after);
			}
			assertThat(outcomes).noneMatch(OperationOutcome::isHit);
			assertThat(outcomes.stream().map(OperationOutcome::processingId).distinct()).hasSize(1);
			stack.worker().start();
			for (OperationOutcome outcome : outcomes) {
				assertThat(outcome.awaitCallback(TIMEOUT)).isEqualTo(ProcessingOutcome.CALLED_BACK);
			}
			assertThat(stack.documents().runs("measure", URI)).isOne();
			List<Callback> callbacks = stack.documents().callbacks();
			assertThat(callbacks).hasSize(1);
			List<Reply> expected = new ArrayList<>();
			IntStream.range(0, 50).forEach((i) -> expected.add(new Reply("before-" + i)));
			if (!resultStored) {
				IntStream.range(0, 50).forEach((i) -> expected.add(new Reply("after-" + i)));
			}
			assertThat(callbacks.get(0).replies()).containsExactlyInAnyOrderElementsOf(expected);
			assertThat(stack.operations().getOrDelegate("measure", URI, new Reply("late")).isHit()).isTrue();
		}
		finally {
			stack.worker().stop();
			callers.shutdownNow();
			broker.close();
			redisConnections.destroy();
		}
	}

	private static List<OperationOutcome> request(ProcessingStack stack, ExecutorService callers, String prefix,
			int count) throws Exception {
		List<Future<OperationOutcome>> futures = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			Reply reply = new Reply(prefix + i);
			futures.add(callers.submit(() -> stack.operations().getOrDelegate("measure", URI, reply)));
		}
		List<OperationOutcome> outcomes = new ArrayList<>();
		for (Future<OperationOutcome> future : futures) {
			outcomes.add(future.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS));
		}
		return outcomes;
	}

}
