package io.celeriac.processing;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * What an {@link Operation} method knows about the request it runs for, and how it steers
 * it: {@code throw context.retry(...)}, {@code throw context.quarantine(...)} or
 * {@code throw context.redirect(...)}. <pre class="code">
 * &#64;Operation("fetch")
 * public Page fetch(String uri, OperationContext context, Map&lt;String, Object&gt; kwargs) {
 *     int attempt = (int) kwargs.getOrDefault("attempt", 1);
 *     try {
 *         return this.client.get(uri);
 *     }
 *     catch (IOException ex) {
 *         if (attempt &lt; 3) {
 *             throw context.retry(Duration.ofSeconds(5), Map.of("attempt", attempt + 1));
 *         }
 *         throw context.quarantine(Map.of("error", ex.getMessage()));
 *     }
 * }
 * </pre>
 *
 * @author Celeriac team
 */
public final class OperationContext {

	private final String operation;

	private final String uri;

	private final String processingId;

	private final Map<String, @Nullable Object> kwargs;

	/**
	 * Creates the context of one run.
	 * @param operation the operation name
	 * @param uri the URI
	 * @param processingId the id of the processing (the task id the callers got)
	 * @param kwargs the keyword arguments of this run
	 */
	public OperationContext(String operation, String uri, String processingId,
			Map<String, ? extends @Nullable Object> kwargs) {
		this.operation = operation;
		this.uri = uri;
		this.processingId = processingId;
		this.kwargs = Collections.unmodifiableMap(new LinkedHashMap<>(kwargs));
	}

	/**
	 * Returns the operation name.
	 * @return the operation
	 */
	public String operation() {
		return this.operation;
	}

	/**
	 * Returns the URI being processed.
	 * @return the URI
	 */
	public String uri() {
		return this.uri;
	}

	/**
	 * Returns the id of the processing, the task id that every coalesced caller got.
	 * @return the processing id
	 */
	public String processingId() {
		return this.processingId;
	}

	/**
	 * Returns the keyword arguments of this run: empty on the first run, those given to
	 * {@link #retry(Duration, Map)} on a retry.
	 * @return the keyword arguments
	 */
	public Map<String, @Nullable Object> kwargs() {
		return this.kwargs;
	}

	/**
	 * Returns the signal that runs the operation again on this URI after the countdown,
	 * with the given keyword arguments. The callers stay waiting.
	 * @param countdown how long to wait
	 * @param kwargs the keyword arguments of the next run
	 * @return the signal, to throw
	 */
	public OperationRetry retry(Duration countdown, Map<String, ? extends @Nullable Object> kwargs) {
		return new OperationRetry(countdown, kwargs);
	}

	/**
	 * Returns the signal that runs the operation again after the countdown with the same
	 * keyword arguments.
	 * @param countdown how long to wait
	 * @return the signal, to throw
	 */
	public OperationRetry retry(Duration countdown) {
		return new OperationRetry(countdown, this.kwargs);
	}

	/**
	 * Returns the signal that gives the request up and moves it to the quarantine queue,
	 * where the {@link QuarantineConsumer}s receive it with these keyword arguments.
	 * @param kwargs what the consumers receive, e.g. a status code
	 * @return the signal, to throw
	 */
	public OperationQuarantine quarantine(Map<String, ? extends @Nullable Object> kwargs) {
		return new OperationQuarantine("Operation " + this.operation + " quarantined " + this.uri, kwargs);
	}

	/**
	 * Returns the signal that quarantines the request with this run's keyword arguments.
	 * @return the signal, to throw
	 */
	public OperationQuarantine quarantine() {
		return quarantine(this.kwargs);
	}

	/**
	 * Returns the signal that answers that this URI's result is the result of another
	 * URI: the result is computed and stored once, under the target, this URI resolves to
	 * it from then on, and the callers of both are called back with it.
	 * @param target the URI whose result this URI shares
	 * @return the signal, to throw
	 */
	public OperationRedirect redirect(String target) {
		if (target.equals(this.uri)) {
			throw new IllegalArgumentException(
					"Operation " + this.operation + " cannot redirect " + this.uri + " to itself");
		}
		return new OperationRedirect(target);
	}

}
