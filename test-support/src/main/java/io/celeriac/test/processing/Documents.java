package io.celeriac.test.processing;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.celeriac.processing.Operation;
import io.celeriac.processing.OperationCallback;
import io.celeriac.processing.OperationContext;
import io.celeriac.processing.QuarantineConsumer;
import io.celeriac.processing.QuarantinedOperation;
import org.jspecify.annotations.Nullable;

/**
 * Operations on made-up documents for the contract tests, recording every run, callback
 * and quarantined request:
 * <ul>
 * <li>{@code measure}: the length of the URI, once the gate opens; its callback waits for
 * the callback gate;</li>
 * <li>{@code fetch}: retries twice with {@code attempt} + 1, then quarantines itself with
 * {@code status: 503};</li>
 * <li>{@code flaky}: retries once, then answers the attempt;</li>
 * <li>{@code broken}: throws;</li>
 * <li>{@code canonical}: redirects {@code alias:x} to {@code doc:x} and measures
 * {@code doc:} URIs once the gate opens.</li>
 * </ul>
 *
 * @author Celeriac team
 */
public class Documents implements QuarantineConsumer {

	/**
	 * The retry countdown of {@code fetch} and {@code flaky}.
	 */
	public static final Duration COUNTDOWN = Duration.ofMillis(100);

	private volatile CountDownLatch gate = new CountDownLatch(0);

	private volatile CountDownLatch callbackGate = new CountDownLatch(0);

	private final Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();

	private final List<Callback> callbacks = new CopyOnWriteArrayList<>();

	private final List<QuarantinedOperation> quarantined = new CopyOnWriteArrayList<>();

	private final List<Map<String, @Nullable Object>> fetchAttempts = new CopyOnWriteArrayList<>();

	/**
	 * Makes {@code measure} and {@code canonical} wait until {@link #open()}.
	 */
	public void close() {
		this.gate = new CountDownLatch(1);
	}

	/**
	 * Lets waiting and future runs go on.
	 */
	public void open() {
		this.gate.countDown();
		this.callbackGate.countDown();
	}

	/**
	 * Makes the {@code measure} callback wait until {@link #open()}.
	 */
	public void closeCallbacks() {
		this.callbackGate = new CountDownLatch(1);
	}

	@Operation("measure")
	public Measure measure(String uri, OperationContext context) throws InterruptedException {
		count("measure", uri);
		pass();
		return new Measure(uri, uri.length());
	}

	@OperationCallback("measure")
	public void measured(Measure result, List<Reply> replies) throws InterruptedException {
		System.out.println("calling back measure " + result.uri());
		if (!this.callbackGate.await(2, TimeUnit.MINUTES)) {
			throw new IllegalStateException("The callback gate stayed closed");
		}
		this.callbacks.add(new Callback("measure", result, replies));
	}

	@Operation("fetch")
	public Measure fetch(String uri, OperationContext context, Map<String, Object> kwargs) {
		count("fetch", uri);
		this.fetchAttempts.add(kwargs);
		int attempt = ((Number) kwargs.getOrDefault("attempt", 1)).intValue();
		if (attempt < 3) {
			throw context.retry(COUNTDOWN, Map.of("attempt", attempt + 1));
		}
		throw context.quarantine(Map.of("attempt", attempt, "status", 503));
	}

	@Operation("flaky")
	public Measure flaky(String uri, OperationContext context, Map<String, Object> kwargs) {
		count("flaky", uri);
		int attempt = ((Number) kwargs.getOrDefault("attempt", 1)).intValue();
		if (attempt < 2) {
			throw context.retry(COUNTDOWN, Map.of("attempt", attempt + 1));
		}
		return new Measure(uri, attempt);
	}

	@OperationCallback("flaky")
	public void flakyDone(Measure result, List<Reply> replies) {
		this.callbacks.add(new Callback("flaky", result, replies));
	}

	@Operation("broken")
	public Measure broken(String uri, OperationContext context) {
		count("broken", uri);
		throw new IllegalStateException("cannot read " + uri);
	}

	@Operation("canonical")
	public Measure canonical(String uri, OperationContext context) throws InterruptedException {
		count("canonical", uri);
		if (uri.startsWith("alias:")) {
			throw context.redirect("doc:" + uri.substring("alias:".length()));
		}
		pass();
		return new Measure(uri, uri.length());
	}

	@OperationCallback("canonical")
	public void canonicalDone(Measure result, List<Reply> replies) {
		this.callbacks.add(new Callback("canonical", result, replies));
	}

	@Override
	public void consume(QuarantinedOperation request) {
		this.quarantined.add(request);
	}

	/**
	 * Returns how often an operation ran on a URI.
	 * @param operation the operation
	 * @param uri the URI
	 * @return the number of runs
	 */
	public int runs(String operation, String uri) {
		AtomicInteger count = this.runs.get(operation + " " + uri);
		return (count != null) ? count.get() : 0;
	}

	/**
	 * Returns the callbacks so far, in call order.
	 * @return the callbacks
	 */
	public List<Callback> callbacks() {
		return List.copyOf(this.callbacks);
	}

	/**
	 * Returns the requests the quarantine consumer received.
	 * @return the requests
	 */
	public List<QuarantinedOperation> quarantined() {
		return List.copyOf(this.quarantined);
	}

	/**
	 * Returns the keyword arguments of each run of {@code fetch}.
	 * @return the keyword arguments, in run order
	 */
	public List<Map<String, @Nullable Object>> fetchAttempts() {
		return List.copyOf(this.fetchAttempts);
	}

	private void count(String operation, String uri) {
		this.runs.computeIfAbsent(operation + " " + uri, (key) -> new AtomicInteger()).incrementAndGet();
		System.out.println("processing " + operation + " " + uri);
	}

	private void pass() throws InterruptedException {
		if (!this.gate.await(2, TimeUnit.MINUTES)) {
			throw new IllegalStateException("The gate stayed closed");
		}
	}

	/**
	 * A result.
	 *
	 * @param uri the URI measured
	 * @param length what was measured
	 */
	public record Measure(String uri, int length) {

	}

	/**
	 * Callback arguments: whom to answer.
	 *
	 * @param caller the caller
	 */
	public record Reply(String caller) {

	}

	/**
	 * One callback call.
	 *
	 * @param operation the operation
	 * @param result the result
	 * @param replies the callback arguments
	 */
	public record Callback(String operation, Measure result, List<Reply> replies) {

	}

}
