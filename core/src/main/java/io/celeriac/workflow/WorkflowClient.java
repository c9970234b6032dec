package io.celeriac.workflow;

import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import io.celeriac.broker.PublishFailedException;
import io.celeriac.task.TaskClient;
import io.celeriac.task.TaskHandle;
import io.celeriac.task.TaskPublishException;

/**
 * Sends workflows in the messages Celery 5.2.6 sends for them, so that Java and Python
 * workers continue them alike, and returns a handle on the workflow's final result: the
 * task's for a signature, the last step's for a chain, the members' (in order) for a
 * group, the body's for a chord. Sent from inside a running task, the workflow becomes
 * its child ({@code parent_id} the task, {@code root_id} its root).
 *
 * <pre class="code">
 * TaskHandle&lt;Integer&gt; total = workflows.send(Workflow.chord(
 *         List.of(Signature.of("reports.count", 1), Signature.of("reports.count", 2)),
 *         Signature.of("reports.sum")), Integer.class);
 * </pre>
 *
 * @author Celeriac team
 */
public class WorkflowClient {

	private final SignaturePublisher publisher;

	private final ChordJoin join;

	private final TaskClient tasks;

	private final long confirmTimeoutMillis;

	/**
	 * Creates a client.
	 * @param publisher publishes the messages
	 * @param join joins chord headers (as the workers and the result store do)
	 * @param tasks gives the handles on results
	 * @param confirmTimeoutMillis how long to wait for the broker's confirmations
	 */
	public WorkflowClient(SignaturePublisher publisher, ChordJoin join, TaskClient tasks, long confirmTimeoutMillis) {
		this.publisher = publisher;
		this.join = join;
		this.tasks = tasks;
		this.confirmTimeoutMillis = confirmTimeoutMillis;
	}

	/**
	 * Sends a workflow and waits until the broker has confirmed its messages.
	 * @param workflow the workflow
	 * @return a handle on its final result
	 * @throws TaskPublishException if the broker did not confirm a message
	 */
	public TaskHandle<Object> send(Workflow workflow) {
		return send(workflow, Object.class);
	}

	/**
	 * Sends a workflow and waits until the broker has confirmed its messages.
	 * @param <T> the result type
	 * @param workflow the workflow
	 * @param resultType the type its final result is read as (a list type for a group)
	 * @return a handle on its final result
	 * @throws TaskPublishException if the broker did not confirm a message
	 */
	public <T> TaskHandle<T> send(Workflow workflow, Type resultType) {
		try {
			if (workflow instanceof Signature signature) {
				return sendSignature(signature, resultType);
			}
			if (workflow instanceof Chain chain) {
				return sendChain(chain, resultType);
			}
			if (workflow instanceof Group group) {
				return sendGroup(group, resultType);
			}
			return sendChord((Chord) workflow, resultType);
		}
		catch (PublishFailedException ex) {
			throw new TaskPublishException(
					"Workflow " + workflow + " was not confirmed by the broker: " + ex.getMessage(), ex);
		}
	}

	private <T> TaskHandle<T> sendSignature(Signature signature, Type resultType) {
		Signature frozen = freezeId(signature);
		await(this.publisher.publish(frozen, null, Placement.current(), null, null));
		return this.tasks.handle(id(frozen), resultType);
	}

	private <T> TaskHandle<T> sendChain(Chain chain, Type resultType) {
		List<Signature> steps = new ArrayList<>();
		Signature first = freezeId(chain.steps().get(0));
		steps.add(first);
		for (Signature step : chain.steps().subList(1, chain.steps().size())) {
			steps.add(this.publisher.freeze(step));
		}
		// embed.chain holds the remaining steps, last step first
		List<Signature> remaining = new ArrayList<>(steps.subList(1, steps.size()));
		java.util.Collections.reverse(remaining);
		await(this.publisher.publish(first, null, Placement.current(), remaining, null));
		return this.tasks.handle(id(steps.get(steps.size() - 1)), resultType);
	}

	private <T> TaskHandle<T> sendGroup(Group group, Type resultType) {
		String groupId = UUID.randomUUID().toString();
		Placement placement = Placement.current().inGroup(groupId, null);
		List<CompletableFuture<Void>> sent = new ArrayList<>();
		List<String> ids = new ArrayList<>();
		for (Signature member : group.members()) {
			Signature frozen = freezeId(member);
			ids.add(id(frozen));
			sent.add(this.publisher.publish(frozen, null, placement, null, null));
		}
		SignaturePublisher.await(sent, this.confirmTimeoutMillis);
		return new GroupHandle<>(groupId, ids, this.tasks, this.publisher.mapper(), resultType);
	}

	private <T> TaskHandle<T> sendChord(Chord chord, Type resultType) {
		String groupId = UUID.randomUUID().toString();
		Signature body = this.publisher.freeze(chord.body());
		Placement current = Placement.current();
		List<Signature> members = chord.header().members();
		this.join.prepare(groupId, members.size());
		List<CompletableFuture<Void>> sent = new ArrayList<>();
		List<String> ids = new ArrayList<>();
		for (int index = 0; index < members.size(); index++) {
			Signature frozen = freezeId(members.get(index));
			ids.add(id(frozen));
			sent.add(this.publisher.publish(frozen, null, current.inGroup(groupId, index), null, body));
		}
		SignaturePublisher.await(sent, this.confirmTimeoutMillis);
		this.join.started(groupId, ids, body, current);
		return this.tasks.handle(id(body), resultType);
	}

	private Signature freezeId(Signature signature) {
		return (signature.taskId() != null) ? signature : signature.withTaskId(UUID.randomUUID().toString());
	}

	private static String id(Signature frozen) {
		String id = frozen.taskId();
		if (id == null) {
			throw new IllegalStateException("Signature " + frozen + " was not given an id");
		}
		return id;
	}

	private void await(CompletableFuture<Void> confirmation) {
		SignaturePublisher.await(List.of(confirmation), this.confirmTimeoutMillis);
	}

}
