package io.celeriac.workflow;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import io.celeriac.protocol.ErrorKind;
import io.celeriac.protocol.InvalidTaskMessageException;
import io.celeriac.protocol.TaskMessage;
import io.celeriac.result.ResultStore;
import io.celeriac.result.TaskFailure;
import io.celeriac.result.TaskResult;
import io.celeriac.result.TaskState;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.databind.node.StringNode;

/**
 * What the worker does with a message's {@code embed} once the task is done, as Celery
 * 5.2.6's worker does, whoever published the message: on success it publishes every
 * {@code callbacks} signature and the next {@code chain} step (the result prepended
 * unless immutable, {@code parent_id} the finished task, {@code root_id} its root,
 * pre-assigned ids and queues kept); on failure it publishes every {@code errbacks}
 * signature (the failed task's id prepended) and records the remaining chain steps as
 * failed; a chord header member tells the {@link ChordJoin}. It also runs
 * {@code celery.chord_unlock}.
 *
 * @author Celeriac team
 */
public class WorkflowContinuation {

	private final SignaturePublisher publisher;

	private final ChordJoin join;

	private final ChordUnlockJoin unlock;

	private final @Nullable ResultStore results;

	private final long confirmTimeoutMillis;

	private final String workerName;

	/**
	 * Creates a continuation.
	 * @param publisher publishes the follow-up tasks
	 * @param join joins the chords whose header members this worker runs
	 * @param unlock runs {@code celery.chord_unlock}
	 * @param results where the remaining steps of a failed chain are recorded as failed,
	 * or {@code null}
	 * @param workerName the worker recorded with those steps
	 * @param confirmTimeoutMillis how long to wait for the broker's confirmation
	 */
	public WorkflowContinuation(SignaturePublisher publisher, ChordJoin join, ChordUnlockJoin unlock,
			@Nullable ResultStore results, String workerName, long confirmTimeoutMillis) {
		this.workerName = workerName;
		this.publisher = publisher;
		this.join = join;
		this.unlock = unlock;
		this.results = results;
		this.confirmTimeoutMillis = confirmTimeoutMillis;
	}

	/**
	 * Returns a continuation that joins chords with {@code celery.chord_unlock}, the way
	 * of Celery's database backend.
	 * @param publisher publishes the follow-up tasks
	 * @param results the result store
	 * @param settings the chord unlock settings
	 * @param workerName the worker recorded with a failed chord body
	 * @param confirmTimeoutMillis how long to wait for the broker's confirmation
	 * @return the continuation
	 */
	public static WorkflowContinuation withChordUnlock(SignaturePublisher publisher, @Nullable ResultStore results,
			WorkflowSettings settings, String workerName, long confirmTimeoutMillis) {
		ChordCompletion completion = new ChordCompletion(publisher, results, workerName, confirmTimeoutMillis);
		ChordUnlockJoin unlock = new ChordUnlockJoin(completion, results, settings, confirmTimeoutMillis);
		return new WorkflowContinuation(publisher, unlock, unlock, results, workerName, confirmTimeoutMillis);
	}

	/**
	 * Checks, before the task runs, that what its {@code embed} asks can be done, so that
	 * a workflow this worker cannot continue goes to the error queue instead of being
	 * lost after the task ran.
	 * @param message the message
	 * @throws InvalidTaskMessageException if a signature in it is not a plain task
	 * signature
	 */
	public void check(TaskMessage message) {
		ObjectNode embed = message.body().embed();
		try {
			for (String key : List.of("callbacks", "errbacks", "chain")) {
				embed.path(key).values().forEach(Signature::fromJson);
			}
			JsonNode chord = embed.path("chord");
			if (chord.isObject()) {
				Signature.fromJson(chord);
			}
			if (runs(message)) {
				ChordUnlockJoin.check(message);
			}
		}
		catch (InvalidTaskMessageException ex) {
			throw ex;
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidTaskMessageException(ErrorKind.BODY_NOT_PROTOCOL_V2,
					"The workflow in the message's embed cannot be continued by this worker: " + ex.getMessage(), ex);
		}
	}

	/**
	 * Returns whether this continuation runs the task itself
	 * ({@code celery.chord_unlock}).
	 * @param message the message
	 * @return whether {@link #run} handles it
	 */
	public boolean runs(TaskMessage message) {
		return ChordUnlockJoin.TASK.equals(message.task());
	}

	/**
	 * Runs a task this continuation implements.
	 * @param message the message
	 * @param routingKey the routing key it was delivered with
	 */
	public void run(TaskMessage message, String routingKey) {
		this.unlock.unlock(message, routingKey);
	}

	/**
	 * Continues the workflow of a task that succeeded: callbacks, next chain step, chord
	 * join. Waits for the broker's confirmations.
	 * @param message the task's message
	 * @param routingKey the routing key it was delivered with
	 * @param result the task's result as JSON
	 */
	public void succeeded(TaskMessage message, String routingKey, @Nullable JsonNode result) {
		ObjectNode embed = message.body().embed();
		JsonNode value = (result != null) ? result : this.publisher.mapper().nullNode();
		TaskResult outcome = outcome(message, routingKey, TaskState.SUCCESS, value, null);
		String id = message.id();
		String rootId = message.headers().rootId();
		Placement child = Placement.childOf(id, rootId);
		List<CompletableFuture<Void>> sent = new ArrayList<>();
		List<Signature> callbacks = signatures(embed.path("callbacks"));
		// several callbacks are sent as one group, as Celery's worker does
		Placement callbackPlacement = (callbacks.size() > 1) ? child.inGroup(UUID.randomUUID().toString(), null)
				: child;
		for (Signature callback : callbacks) {
			sent.add(this.publisher.publish(this.publisher.freeze(callback), value, callbackPlacement, null, null));
		}
		List<Signature> chain = signatures(embed.path("chain"));
		if (!chain.isEmpty()) {
			Signature next = chain.get(chain.size() - 1);
			sent.add(this.publisher.publish(this.publisher.freeze(next), value, child,
					chain.subList(0, chain.size() - 1), null));
		}
		SignaturePublisher.await(sent, this.confirmTimeoutMillis);
		chordMemberDone(message, outcome);
	}

	/**
	 * Continues the workflow of a task that failed for good (no retry left): records the
	 * remaining chain steps as failed with the same exception, tells the chord join, and
	 * sends the errbacks.
	 * @param message the task's message
	 * @param routingKey the routing key it was delivered with
	 * @param failure the exception it raised
	 */
	public void failed(TaskMessage message, String routingKey, TaskFailure failure) {
		ObjectNode embed = message.body().embed();
		TaskResult outcome = outcome(message, routingKey, TaskState.FAILURE, null, failure);
		if (this.results != null) {
			for (Signature step : signatures(embed.path("chain"))) {
				String stepId = step.taskId();
				if (stepId != null) {
					this.results.save(new TaskResult(stepId, outcome.state(), null, failure, step.task(),
							this.publisher.mapper().valueToTree(step.args()),
							this.publisher.mapper().valueToTree(step.kwargs()), outcome.worker(), 0,
							this.publisher.routingKey(step), Instant.now()));
				}
			}
		}
		chordMemberDone(message, outcome);
		sendErrbacks(this.publisher, signatures(embed.path("errbacks")), message.id(), message.headers().rootId(),
				this.confirmTimeoutMillis);
	}

	private TaskResult outcome(TaskMessage message, String routingKey, TaskState state, @Nullable JsonNode value,
			@Nullable TaskFailure failure) {
		return new TaskResult(message.id(), state, value, failure, message.task(), message.body().args(),
				message.body().kwargs(), this.workerName, message.headers().retries(), routingKey, Instant.now());
	}

	private void chordMemberDone(TaskMessage message, TaskResult outcome) {
		if (message.headers().group() != null && message.body().embed().path("chord").isObject()) {
			this.join.memberDone(message, outcome);
		}
	}

	/**
	 * Sends errbacks as Celery's {@code _call_task_errbacks} sends those that take the
	 * task id: as one group, the failed task's id first, {@code parent_id} the failed
	 * task.
	 * @param publisher the publisher
	 * @param errbacks the errbacks
	 * @param taskId the failed task's id
	 * @param rootId its root id
	 * @param confirmTimeoutMillis how long to wait for the broker's confirmation
	 */
	static void sendErrbacks(SignaturePublisher publisher, List<Signature> errbacks, String taskId, String rootId,
			long confirmTimeoutMillis) {
		if (errbacks.isEmpty()) {
			return;
		}
		Placement placement = Placement.childOf(taskId, rootId).inGroup(UUID.randomUUID().toString(), null);
		List<CompletableFuture<Void>> sent = new ArrayList<>();
		for (Signature errback : errbacks) {
			sent.add(publisher.publish(publisher.freeze(errback), StringNode.valueOf(taskId), placement, null, null));
		}
		SignaturePublisher.await(sent, confirmTimeoutMillis);
	}

	private static List<Signature> signatures(JsonNode node) {
		if (node.isObject()) {
			return List.of(Signature.fromJson(node));
		}
		List<Signature> signatures = new ArrayList<>();
		node.values().forEach((element) -> signatures.add(Signature.fromJson(element)));
		return signatures;
	}

}
