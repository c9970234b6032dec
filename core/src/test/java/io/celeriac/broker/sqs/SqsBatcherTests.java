package io.celeriac.broker.sqs;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link SqsBatcher}.
 *
 * @author Celeriac team
 */
class SqsBatcherTests {

	private final List<List<String>> calls = new CopyOnWriteArrayList<>();

	@Test
	void aLoneCallerSendsEachEntryAtOnce() {
		SqsBatcher<String> batcher = new SqsBatcher<>(this::record, String::length, 1000);
		assertThat(batcher.submit("a")).isCompleted();
		assertThat(batcher.submit("b")).isCompleted();
		assertThat(this.calls).containsExactly(List.of("a"), List.of("b"));
	}

	@Test
	void entriesArrivingDuringACallGoTogetherInTheNextTenAtATime() throws Exception {
		CountDownLatch inFirstCall = new CountDownLatch(1);
		CountDownLatch release = new CountDownLatch(1);
		SqsBatcher<String> batcher = new SqsBatcher<>((entries) -> {
			if (entries.contains("first")) {
				inFirstCall.countDown();
				await(release);
			}
			return record(entries);
		}, String::length, 1000);
		CompletableFuture<Void> first = CompletableFuture.runAsync(() -> batcher.submit("first").join());
		assertThat(inFirstCall.await(10, TimeUnit.SECONDS)).isTrue();
		List<CompletableFuture<Void>> waiting = new ArrayList<>();
		for (int i = 0; i < 12; i++) {
			waiting.add(batcher.submit("m" + i));
		}
		assertThat(waiting).noneMatch(CompletableFuture::isDone);
		release.countDown();
		first.get(10, TimeUnit.SECONDS);
		CompletableFuture.allOf(waiting.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
		assertThat(this.calls).hasSize(3);
		assertThat(this.calls.get(1)).hasSize(10);
		assertThat(this.calls.get(2)).containsExactly("m10", "m11");
	}

	@Test
	void aCallStopsBeforeItsPayloadPassesTheLimit() throws Exception {
		CountDownLatch release = new CountDownLatch(1);
		CountDownLatch inFirstCall = new CountDownLatch(1);
		SqsBatcher<String> batcher = new SqsBatcher<>((entries) -> {
			if (entries.contains("x")) {
				inFirstCall.countDown();
				await(release);
			}
			return record(entries);
		}, String::length, 10);
		CompletableFuture<Void> first = CompletableFuture.runAsync(() -> batcher.submit("x").join());
		assertThat(inFirstCall.await(10, TimeUnit.SECONDS)).isTrue();
		CompletableFuture<Void> a = batcher.submit("aaaaaa");
		CompletableFuture<Void> b = batcher.submit("bbbbbb");
		release.countDown();
		first.get(10, TimeUnit.SECONDS);
		CompletableFuture.allOf(a, b).get(10, TimeUnit.SECONDS);
		assertThat(this.calls).containsExactly(List.of("x"), List.of("aaaaaa"), List.of("bbbbbb"));
	}

	@Test
	void anEntryThatSqsRefusedFailsAloneAndAFailedCallFailsItsEntries() {
		SqsBatcher<String> partial = new SqsBatcher<>((entries) -> {
			List<@Nullable RuntimeException> failures = new ArrayList<>(Collections.nCopies(entries.size(), null));
			failures.set(0, new IllegalStateException("refused " + entries.get(0)));
			return failures;
		}, String::length, 1000);
		assertThatExceptionOfType(RuntimeException.class).isThrownBy(() -> partial.submit("bad").join())
			.withMessageContaining("refused bad");
		SqsBatcher<String> broken = new SqsBatcher<>((entries) -> {
			throw new IllegalStateException("no connection");
		}, String::length, 1000);
		assertThatExceptionOfType(RuntimeException.class).isThrownBy(() -> broken.submit("lost?").join())
			.withMessageContaining("no connection");
		SqsBatcher<String> working = new SqsBatcher<>(this::record, String::length, 1000);
		assertThat(working.submit("after")).isCompleted();
		assertThat(this.calls).containsExactly(List.of("after"));
	}

	private List<@Nullable RuntimeException> record(List<String> entries) {
		this.calls.add(List.copyOf(entries));
		return new ArrayList<>(Collections.nCopies(entries.size(), null));
	}

	private static void await(CountDownLatch latch) {
		try {
			latch.await(Duration.ofSeconds(10).toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
