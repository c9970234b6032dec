package io.celeriac.test.control;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import io.celeriac.control.ControlMessage;
import io.celeriac.control.Mailbox;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The contract of a {@link Mailbox}: a cast reaches every listening worker, a call
 * collects each worker's reply (and only the replies to it, when several calls run at
 * once), and a closed listener receives nothing more. Each implementation's test extends
 * it; the workers here answer {@code echo} with their name and the command's arguments.
 *
 * @author Celeriac team
 */
public abstract class MailboxContractTests {

	/**
	 * How long a test waits for a command or collects replies.
	 */
	protected static final Duration WAIT = Duration.ofSeconds(5);

	private final List<AutoCloseable> listeners = new ArrayList<>();

	/**
	 * Returns the mailbox under test; the same one for a whole test, on a namespace of
	 * the test's own.
	 * @return the mailbox
	 */
	protected abstract Mailbox mailbox();

	@AfterEach
	void closeListeners() throws Exception {
		for (AutoCloseable listener : this.listeners) {
			listener.close();
		}
	}

	@Test
	void aCastReachesEveryListeningWorker() {
		List<String> received = new CopyOnWriteArrayList<>();
		String a = worker("a");
		String b = worker("b");
		listen(a, (command) -> received.add(a + " " + command.method() + " " + command.arguments()));
		listen(b, (command) -> received.add(b + " " + command.method() + " " + command.arguments()));
		mailbox().cast(ControlMessage.of("revoke", Map.of("task_id", "t1"), null));
		await().atMost(WAIT).until(() -> received.size() == 2);
		assertThat(received).containsExactlyInAnyOrder(a + " revoke {task_id=t1}", b + " revoke {task_id=t1}");
	}

	@Test
	void aCallCollectsTheReplyOfEachWorkerByName() {
		String a = echoing(worker("a"));
		String b = echoing(worker("b"));
		List<Map<String, @Nullable Object>> replies = mailbox()
			.call(ControlMessage.of("echo", Map.of("n", 1), List.of(a, b)), WAIT, 2);
		Map<String, @Nullable Object> byNode = new LinkedHashMap<>();
		replies.forEach(byNode::putAll);
		assertThat(byNode).containsOnlyKeys(a, b);
		assertThat(byNode.get(a)).isEqualTo(Map.of("ok", Map.of("n", 1)));
	}

	@Test
	void aCallNobodyAnswersEndsWithNoReplyAfterItsTimeout() {
		assertThat(mailbox().call(ControlMessage.of("echo", Map.of(), List.of(worker("absent"))),
				Duration.ofMillis(500), 1))
			.isEmpty();
	}

	@Test
	void callsAtTheSameTimeGetOnlyTheirOwnReplies() {
		String a = echoing(worker("a"));
		List<CompletableFuture<List<Map<String, @Nullable Object>>>> calls = new ArrayList<>();
		for (int i = 0; i < 4; i++) {
			int n = i;
			calls.add(CompletableFuture
				.supplyAsync(() -> mailbox().call(ControlMessage.of("echo", Map.of("n", n), List.of(a)), WAIT, 1)));
		}
		for (int i = 0; i < calls.size(); i++) {
			assertThat(calls.get(i).join()).containsExactly(Map.of(a, Map.of("ok", Map.of("n", i))));
		}
	}

	@Test
	void aClosedListenerReceivesNothingMore() throws Exception {
		String a = worker("a");
		String b = worker("b");
		List<String> received = new CopyOnWriteArrayList<>();
		AutoCloseable first = mailbox().listen(a, (command) -> received.add(a));
		listen(b, (command) -> received.add(b));
		first.close();
		mailbox().cast(ControlMessage.of("ping", Map.of(), null));
		mailbox().cast(ControlMessage.of("ping", Map.of(), List.of(b)));
		await().atMost(WAIT).until(() -> received.size() == 2);
		assertThat(received).containsOnly(b);
	}

	/**
	 * Returns a worker name unique to the test.
	 * @param name a readable part
	 * @return the name, e.g. {@code a-1b2c3d4e@test}
	 */
	protected static String worker(String name) {
		return name + "-" + UUID.randomUUID().toString().substring(0, 8) + "@test";
	}

	private String echoing(String hostname) {
		listen(hostname, (command) -> {
			if (command.isFor(hostname) && command.replyTo() != null && command.ticket() != null) {
				Map<String, @Nullable Object> reply = new LinkedHashMap<>();
				reply.put(hostname, Map.of("ok", command.arguments()));
				mailbox().reply(command.replyTo(), command.ticket(), reply);
			}
		});
		return hostname;
	}

	private void listen(String hostname, java.util.function.Consumer<ControlMessage> commands) {
		this.listeners.add(mailbox().listen(hostname, commands));
	}

}
