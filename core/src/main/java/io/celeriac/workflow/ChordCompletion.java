package io.celeriac.workflow;

import java.time.Instant;
import java.util.List;

import io.celeriac.result.ResultStore;
import io.celeriac.result.TaskFailure;
import io.celeriac.result.TaskResult;
import io.celeriac.result.TaskState;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;

/**
 * Ends a chord the way Celery 5.2.6 does: publishes the body with the header's results,
 * or records the body as failed with a {@code ChordError} and sends its errbacks
 * (Celery's {@code chord_error_from_stack}).
 *
 * @author Celeriac team
 */
public class ChordCompletion {

	/**
	 * The exception type recorded on a chord body whose header failed.
	 */
	public static final String CHORD_ERROR = "ChordError";

	private static final Logger logger = LoggerFactory.getLogger(ChordCompletion.class);

	private final SignaturePublisher publisher;

	private final @Nullable ResultStore results;

	private final String workerName;

	private final long confirmTimeoutMillis;

	/**
	 * Creates a completion.
	 * @param publisher publishes the body and its errbacks
	 * @param results where a failed body is recorded, or {@code null}
	 * @param workerName the worker recorded with a failed body
	 * @param confirmTimeoutMillis how long to wait for the broker's confirmation
	 */
	public ChordCompletion(SignaturePublisher publisher, @Nullable ResultStore results, String workerName,
			long confirmTimeoutMillis) {
		this.publisher = publisher;
		this.results = results;
		this.workerName = workerName;
		this.confirmTimeoutMillis = confirmTimeoutMillis;
	}

	/**
	 * Returns the publisher.
	 * @return the publisher
	 */
	public SignaturePublisher publisher() {
		return this.publisher;
	}

	/**
	 * Publishes the body with the header's results as its first argument.
	 * @param body the body
	 * @param headerResults the results in header order
	 * @param placement the body's parent and root
	 */
	public void succeed(Signature body, List<@Nullable JsonNode> headerResults, Placement placement) {
		ArrayNode values = this.publisher.mapper().createArrayNode();
		headerResults.forEach(values::add);
		SignaturePublisher.await(List.of(this.publisher.publish(body, values, placement, null, null)),
				this.confirmTimeoutMillis);
	}

	/**
	 * Records the body as failed with a {@code ChordError} and sends its errbacks, each
	 * with the body's id as first argument unless immutable.
	 * @param body the body
	 * @param reason what failed, e.g. {@code Dependency <id> raised ValueError('boom')}
	 * @param placement the body's parent and root
	 */
	public void fail(Signature body, String reason, Placement placement) {
		String bodyId = body.taskId();
		logger.warn("Chord body {}[{}] fails: {}", body.task(), bodyId, reason);
		if (bodyId != null && this.results != null) {
			ArrayNode args = this.publisher.mapper().valueToTree(body.args());
			this.results.save(new TaskResult(bodyId, TaskState.FAILURE, null,
					new TaskFailure(CHORD_ERROR, "celery.exceptions", reason, ""), body.task(), args,
					this.publisher.mapper().valueToTree(body.kwargs()), this.workerName, 0,
					this.publisher.routingKey(body), Instant.now()));
		}
		if (bodyId != null) {
			WorkflowContinuation.sendErrbacks(this.publisher, body.errorLinks(), bodyId,
					(placement.rootId() != null) ? placement.rootId() : bodyId, this.confirmTimeoutMillis);
		}
	}

	/**
	 * Renders a failed member as Celery's {@code ChordError} reason does:
	 * {@code Dependency <id> raised ValueError('boom')}.
	 * @param memberId the failed member's id
	 * @param failure its exception
	 * @return the reason
	 */
	public static String dependencyFailed(String memberId, @Nullable TaskFailure failure) {
		if (failure == null) {
			return "Dependency " + memberId + " failed";
		}
		String message = io.celeriac.protocol.CeleryProtocol
			.pythonRepr(tools.jackson.databind.node.JsonNodeFactory.instance.stringNode(failure.message()));
		return "Dependency " + memberId + " raised " + failure.exceptionType() + "(" + message + ")";
	}

}
