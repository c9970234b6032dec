package io.celeriac.processing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;

import io.celeriac.processing.OperationStore.Lookup;
import io.celeriac.task.TaskClient;
import io.celeriac.task.TaskOptions;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Gets the result of an operation on a URI from the {@link OperationStore}, or delegates
 * its processing to a worker: the backache seed's {@code get_or_delegate}. Concurrent
 * misses on one (operation, URI) start one processing; when its result is stored, the
 * operation's {@link OperationCallback} runs once with the callback arguments of every
 * one of them. A request that arrives after the result is stored is a hit: it gets the
 * result at once and no callback runs. <pre class="code">
 * OperationOutcome outcome = operations.getOrDelegate("thumbnail", uri, Map.of("reply", replyTo));
 * if (outcome.isHit()) {
 *     send(replyTo, outcome.result());
 * }
 * </pre>
 *
 * @author Celeriac team
 */
public class CachedOperations {

	static final String CALLED_BACK = "called-back";

	static final String QUARANTINED = "quarantined";

	static final String REDIRECT_PREFIX = "redirect:";

	private static final int MAXIMUM_REDIRECTS = 8;

	private final OperationStore store;

	private final OperationRegistry registry;

	private final TaskClient client;

	private final ObjectMapper mapper;

	private final ProcessingSettings settings;

	/**
	 * Creates the service.
	 * @param store where results and pending callback arguments are kept
	 * @param registry the operations this application defines
	 * @param client sends the processing tasks
	 * @param mapper writes callback arguments and reads results
	 * @param settings how processing runs
	 */
	public CachedOperations(OperationStore store, OperationRegistry registry, TaskClient client, ObjectMapper mapper,
			ProcessingSettings settings) {
		this.store = store;
		this.registry = registry;
		this.client = client;
		this.mapper = mapper;
		this.settings = settings;
	}

	/**
	 * Returns the stored result of the operation on the URI, or delegates its processing.
	 * @param operation the operation name
	 * @param uri the URI
	 * @param callbackArgs what the callback receives for this request (anything Jackson
	 * writes as JSON), or {@code null}
	 * @return the result (a hit), or the id of the processing the request joined or
	 * started
	 * @throws IllegalArgumentException if this application defines no such operation
	 * @throws io.celeriac.task.TaskPublishException if the processing could not be sent
	 * (the request's callback arguments stay pending, and the next request starts the
	 * processing again)
	 */
	public OperationOutcome getOrDelegate(String operation, String uri, @Nullable Object callbackArgs) {
		OperationKey key = checked(new OperationKey(operation, uri));
		return resolve(key, List.of(this.mapper.writeValueAsString(callbackArgs)));
	}

	/**
	 * Gets or delegates many requests at once: the hits go to {@code hits} in one map
	 * (called once, and only if there is a hit), keyed by (operation, URI), with the
	 * callback arguments of every request of the batch for that key; the misses are
	 * delegated, requests of the batch for one key to one processing.
	 * @param requests the requests
	 * @param hits receives the hits
	 * @return the processing id of each delegated key
	 * @throws IllegalArgumentException if this application defines no such operation
	 * (checked for every request before any is delegated)
	 */
	public Map<OperationKey, String> bulkGetOrDelegate(Collection<OperationRequest> requests,
			Consumer<Map<OperationKey, OperationHit>> hits) {
		Map<OperationKey, List<JsonNode>> grouped = new LinkedHashMap<>();
		for (OperationRequest request : requests) {
			grouped.computeIfAbsent(checked(request.key()), (key) -> new ArrayList<>())
				.add(this.mapper.valueToTree(request.callbackArgs()));
		}
		Map<OperationKey, OperationHit> found = new LinkedHashMap<>();
		Map<OperationKey, String> delegated = new LinkedHashMap<>();
		grouped.forEach((key, args) -> {
			OperationOutcome outcome = resolve(key, args.stream().map(this.mapper::writeValueAsString).toList());
			JsonNode result = outcome.result();
			if (result != null) {
				found.put(key, new OperationHit(args, result));
			}
			else {
				delegated.put(key, String.valueOf(outcome.processingId()));
			}
		});
		if (!found.isEmpty()) {
			hits.accept(found);
		}
		return delegated;
	}

	/**
	 * Waits until the callback of a processing has finished with every callback argument
	 * it carries, following redirections, or until it was quarantined.
	 * @param processingId the id {@link #getOrDelegate} returned
	 * @param timeout how long to wait at most
	 * @return how it ended
	 * @throws OperationTimeoutException if it did not end within the timeout
	 */
	public ProcessingOutcome awaitCallback(String processingId, Duration timeout) {
		long deadline = System.nanoTime() + timeout.toNanos();
		String current = processingId;
		long pause = 2;
		while (true) {
			String outcome = this.store.outcome(current);
			if (outcome != null && outcome.startsWith(REDIRECT_PREFIX)) {
				current = outcome.substring(REDIRECT_PREFIX.length());
				continue;
			}
			if (CALLED_BACK.equals(outcome)) {
				return ProcessingOutcome.CALLED_BACK;
			}
			if (QUARANTINED.equals(outcome)) {
				return ProcessingOutcome.QUARANTINED;
			}
			if (System.nanoTime() - deadline >= 0) {
				throw new OperationTimeoutException("Processing " + processingId + " did not finish within " + timeout);
			}
			try {
				Thread.sleep(pause);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new OperationTimeoutException("Interrupted while awaiting processing " + processingId);
			}
			pause = Math.min(pause * 2, 100);
		}
	}

	/**
	 * Looks the key up following redirections, appending the callback arguments on a miss
	 * and delegating the processing when this call started it.
	 */
	OperationOutcome resolve(OperationKey key, List<String> callbackArgs) {
		OperationKey current = key;
		for (int i = 0; i <= MAXIMUM_REDIRECTS; i++) {
			String candidate = candidateId();
			Lookup lookup = this.store.getOrAppend(current, callbackArgs, candidate, this.settings.pendingTimeout());
			switch (lookup.kind()) {
				case HIT -> {
					return OperationOutcome.hit(this.mapper.readTree(lookup.value()));
				}
				case REDIRECTED -> current = new OperationKey(current.operation(), lookup.value());
				case STARTED -> {
					start(current, candidate);
					return OperationOutcome.delegated(candidate, this);
				}
				case JOINED -> {
					return OperationOutcome.delegated(lookup.value(), this);
				}
			}
		}
		throw new IllegalStateException("More than " + MAXIMUM_REDIRECTS + " redirections from " + key
				+ " (a redirection loop?); last: " + current);
	}

	private void start(OperationKey key, String processingId) {
		try {
			delegate(key, processingId, Map.of(), null);
		}
		catch (RuntimeException ex) {
			try {
				this.store.release(key, processingId);
			}
			catch (RuntimeException releaseFailure) {
				ex.addSuppressed(releaseFailure);
			}
			throw ex;
		}
	}

	/**
	 * Sends the task that runs the operation.
	 */
	void delegate(OperationKey key, String processingId, Map<String, ? extends @Nullable Object> kwargs,
			@Nullable Duration countdown) {
		// no result recorded: callers await the callback through the store, and a
		// retry reuses the id
		TaskOptions options = TaskOptions.defaults().withTaskId(processingId).withIgnoreResult(true);
		if (countdown != null) {
			options = options.withCountdown(countdown);
		}
		this.client.send(this.settings.processTaskName(), List.of(key.operation(), key.uri(), kwargs, processingId),
				Map.of(), options);
	}

	/**
	 * Returns a random version 4 UUID from the thread's own generator: every lookup needs
	 * a candidate id, and {@link UUID#randomUUID()} shares one {@code SecureRandom}
	 * between all threads.
	 */
	private static String candidateId() {
		ThreadLocalRandom random = ThreadLocalRandom.current();
		long most = (random.nextLong() & ~0xF000L) | 0x4000L;
		long least = (random.nextLong() & ~(0xC000000000000000L)) | 0x8000000000000000L;
		return new UUID(most, least).toString();
	}

	private OperationKey checked(OperationKey key) {
		if (this.registry.find(key.operation()).isEmpty()) {
			throw new IllegalArgumentException(
					"No operation named '" + key.operation() + "'; operations: " + this.registry.names());
		}
		return key;
	}

}
