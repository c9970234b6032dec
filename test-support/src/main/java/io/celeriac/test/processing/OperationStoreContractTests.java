package io.celeriac.test.processing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;

import io.celeriac.processing.OperationKey;
import io.celeriac.processing.OperationStore;
import io.celeriac.processing.OperationStore.Kind;
import io.celeriac.processing.OperationStore.Lookup;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The contract of an {@link OperationStore}: the first miss on a key starts its
 * processing and the others join it, atomically even under 100 concurrent callers;
 * completing stores the result and takes exactly the pending callback arguments, once;
 * later lookups are hits; redirection and abandonment take the pending arguments too;
 * results expire; a processing whose pending timeout lapsed is started again and its
 * successor gets the earlier arguments; outcomes are recorded. A backend's test extends
 * it and gives a fresh, empty store per test.
 *
 * @author Celeriac team
 */
public abstract class OperationStoreContractTests {

	private static final Duration LONG = Duration.ofMinutes(5);

	private static final Duration WAIT = Duration.ofSeconds(20);

	private final OperationKey key = new OperationKey("thumbnail", "https://example.com/a.png");

	private OperationStore store;

	private final ExecutorService executor = Executors.newFixedThreadPool(16);

	/**
	 * Creates a fresh, empty store for one test.
	 * @return the store
	 */
	protected abstract OperationStore createStore();

	@BeforeEach
	void create() {
		this.store = createStore();
	}

	@AfterEach
	void shutDown() {
		this.executor.shutdownNow();
	}

	@Test
	void theFirstMissStartsTheProcessingAndTheNextOnesJoinIt() {
		Lookup first = this.store.getOrAppend(this.key, List.of("\"a\""), "p1", LONG);
		Lookup second = this.store.getOrAppend(this.key, List.of("\"b\""), "p2", LONG);
		Lookup third = this.store.getOrAppend(this.key, List.of("\"c\"", "\"d\""), "p3", LONG);
		assertThat(first).isEqualTo(Lookup.started("p1"));
		assertThat(second).isEqualTo(Lookup.joined("p1"));
		assertThat(third).isEqualTo(Lookup.joined("p1"));
	}

	@Test
	void completingStoresTheResultAndTakesThePendingArgumentsInOrderOnce() {
		this.store.getOrAppend(this.key, List.of("1"), "p1", LONG);
		this.store.getOrAppend(this.key, List.of("2", "3"), "p2", LONG);
		assertThat(this.store.complete(this.key, "{\"width\":10}", LONG)).containsExactly("1", "2", "3");
		assertThat(this.store.getOrAppend(this.key, List.of("4"), "p3", LONG)).isEqualTo(Lookup.hit("{\"width\":10}"));
		this.store.delivered(this.key);
		// a hit appended nothing: once delivered, a second completion (a redelivered
		// processing) finds none
		assertThat(this.store.complete(this.key, "{\"width\":10}", LONG)).isEmpty();
	}

	@Test
	void concurrentMissesStartExactlyOneProcessing() throws Exception {
		int callers = 100;
		CountDownLatch start = new CountDownLatch(1);
		List<Future<Lookup>> lookups = new ArrayList<>();
		for (int i = 0; i < callers; i++) {
			String argument = Integer.toString(i);
			lookups.add(this.executor.submit(() -> {
				start.await();
				return this.store.getOrAppend(this.key, List.of(argument), "p" + argument, LONG);
			}));
		}
		start.countDown();
		List<Lookup> results = new ArrayList<>();
		for (Future<Lookup> lookup : lookups) {
			results.add(lookup.get());
		}
		List<Lookup> started = results.stream().filter((lookup) -> lookup.kind() == Kind.STARTED).toList();
		assertThat(started).hasSize(1);
		assertThat(results).allSatisfy((lookup) -> assertThat(lookup.value()).isEqualTo(started.get(0).value()));
		assertThat(this.store.complete(this.key, "42", LONG))
			.containsExactlyInAnyOrderElementsOf(IntStream.range(0, callers).mapToObj(Integer::toString).toList());
	}

	@Test
	void keysOfOtherOperationsAndUrisAreIndependent() {
		this.store.getOrAppend(this.key, List.of("1"), "p1", LONG);
		this.store.complete(this.key, "\"done\"", LONG);
		assertThat(this.store.getOrAppend(new OperationKey("preview", this.key.uri()), List.of("2"), "p2", LONG))
			.isEqualTo(Lookup.started("p2"));
		assertThat(this.store.getOrAppend(new OperationKey("thumbnail", "https://example.com/b.png"), List.of("3"),
				"p3", LONG))
			.isEqualTo(Lookup.started("p3"));
	}

	@Test
	void aRedirectedUriAnswersWithItsTargetAndTheRedirectionTakesThePendingArguments() {
		this.store.getOrAppend(this.key, List.of("1"), "p1", LONG);
		assertThat(this.store.redirect(this.key, "https://example.com/canonical.png", LONG)).containsExactly("1");
		this.store.delivered(this.key);
		assertThat(this.store.getOrAppend(this.key, List.of("2"), "p2", LONG))
			.isEqualTo(Lookup.redirected("https://example.com/canonical.png"));
		assertThat(this.store.abandon(this.key, LONG)).isEmpty();
	}

	@Test
	void argumentsTakenButNeverConfirmedDeliveredAreTakenAgainByTheNextCompletion() {
		this.store.getOrAppend(this.key, List.of("1"), "p1", LONG);
		assertThat(this.store.complete(this.key, "0", LONG)).containsExactly("1");
		// the worker died in the callback; its redelivered processing completes again
		assertThat(this.store.complete(this.key, "0", LONG)).containsExactly("1");
		this.store.delivered(this.key);
		assertThat(this.store.complete(this.key, "0", LONG)).isEmpty();
	}

	@Test
	void abandoningTakesThePendingArgumentsAndTheNextMissStartsAgain() {
		this.store.getOrAppend(this.key, List.of("1"), "p1", LONG);
		this.store.getOrAppend(this.key, List.of("2"), "p2", LONG);
		assertThat(this.store.abandon(this.key, LONG)).containsExactly("1", "2");
		this.store.delivered(this.key);
		assertThat(this.store.getOrAppend(this.key, List.of("3"), "p3", LONG)).isEqualTo(Lookup.started("p3"));
		assertThat(this.store.complete(this.key, "1", LONG)).containsExactly("3");
	}

	@Test
	void aResultExpires() {
		this.store.getOrAppend(this.key, List.of("1"), "p1", LONG);
		this.store.complete(this.key, "\"short-lived\"", Duration.ofMillis(200));
		await().atMost(WAIT)
			.pollInterval(Duration.ofMillis(50))
			.until(() -> this.store.getOrAppend(this.key, List.of("2"), "p2", LONG).kind() == Kind.STARTED);
		assertThat(this.store.complete(this.key, "\"again\"", LONG)).containsExactly("2");
	}

	@Test
	void aProcessingWhosePendingTimeoutLapsedStartsAgainWithTheEarlierArguments() {
		Duration pendingTimeout = Duration.ofMillis(300);
		assertThat(this.store.getOrAppend(this.key, List.of("1"), "p1", pendingTimeout))
			.isEqualTo(Lookup.started("p1"));
		await().atMost(WAIT)
			.pollInterval(Duration.ofMillis(20))
			.until(() -> this.store.getOrAppend(this.key, List.of(), "p2", pendingTimeout).kind() == Kind.STARTED);
		this.store.getOrAppend(this.key, List.of("2"), "p3", LONG);
		assertThat(this.store.complete(this.key, "0", LONG)).containsExactly("1", "2");
	}

	@Test
	void aReleasedProcessingIsStartedAgainByTheNextMissWithThePendingArguments() {
		assertThat(this.store.getOrAppend(this.key, List.of("1"), "p1", LONG)).isEqualTo(Lookup.started("p1"));
		assertThat(this.store.getOrAppend(this.key, List.of("2"), "p2", LONG)).isEqualTo(Lookup.joined("p1"));
		this.store.release(this.key, "p1");
		assertThat(this.store.getOrAppend(this.key, List.of("3"), "p3", LONG)).isEqualTo(Lookup.started("p3"));
		this.store.release(this.key, "p1");
		assertThat(this.store.getOrAppend(this.key, List.of(), "p4", LONG)).isEqualTo(Lookup.joined("p3"));
		assertThat(this.store.complete(this.key, "0", LONG)).containsExactly("1", "2", "3");
	}

	@Test
	void aTouchedProcessingStaysRunning() {
		Duration pendingTimeout = Duration.ofMillis(300);
		this.store.getOrAppend(this.key, List.of("1"), "p1", pendingTimeout);
		this.store.touch(this.key, LONG);
		await().during(Duration.ofMillis(900))
			.atMost(WAIT)
			.until(() -> this.store.getOrAppend(this.key, List.of(), "p2", pendingTimeout).equals(Lookup.joined("p1")));
		assertThat(this.store.complete(this.key, "0", LONG)).containsExactly("1");
	}

	@Test
	void outcomesAreRecordedPerProcessing() {
		assertThat(this.store.outcome("p1")).isNull();
		this.store.finish("p1", "called-back", LONG);
		this.store.finish("p2", "redirect:p3", LONG);
		assertThat(this.store.outcome("p1")).isEqualTo("called-back");
		assertThat(this.store.outcome("p2")).isEqualTo("redirect:p3");
	}

	@Test
	void callbackArgumentsKeepTheirJsonAsIs() {
		String tricky = "{\"reply\":\"queue-\\\"7\\\"\",\"unicode\":\"\u00e9\u4e2d\",\"list\":[1,null]}";
		this.store.getOrAppend(this.key, List.of(tricky, "null"), "p1", LONG);
		assertThat(this.store.complete(this.key, "{}", LONG)).containsExactly(tricky, "null");
	}

}
