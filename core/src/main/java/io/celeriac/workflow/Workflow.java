package io.celeriac.workflow;

import java.util.Arrays;
import java.util.List;

/**
 * Something a {@link WorkflowClient} can send: a {@link Signature}, a {@link Chain}, a
 * {@link Group} or a {@link Chord}, composed as with Celery's canvas.
 *
 * <pre class="code">
 * Workflow flow = Workflow.chain(Signature.of("reports.fetch", 42), Signature.of("pdf.render"),
 *         Signature.of("mail.send", "ops@example.com"));
 * TaskHandle&lt;Object&gt; last = workflows.send(flow, Object.class);
 * </pre>
 *
 * @author Celeriac team
 */
public sealed interface Workflow permits Signature, Chain, Group, Chord {

	/**
	 * Returns a chain: each step runs after the previous one succeeded, with its result
	 * as first argument unless the step is immutable.
	 * @param steps the steps, first first
	 * @return the chain
	 */
	static Chain chain(Signature... steps) {
		return new Chain(Arrays.asList(steps));
	}

	/**
	 * Returns a chain of the given steps.
	 * @param steps the steps, first first
	 * @return the chain
	 */
	static Chain chain(List<Signature> steps) {
		return new Chain(steps);
	}

	/**
	 * Returns a group: its members run in parallel, and its result is their results in
	 * member order.
	 * @param members the members
	 * @return the group
	 */
	static Group group(Signature... members) {
		return new Group(Arrays.asList(members));
	}

	/**
	 * Returns a group of the given members.
	 * @param members the members
	 * @return the group
	 */
	static Group group(List<Signature> members) {
		return new Group(members);
	}

	/**
	 * Returns a chord: the header's members run in parallel, then the body runs once with
	 * their results, in header order, as first argument.
	 * @param header the header
	 * @param body the body
	 * @return the chord
	 */
	static Chord chord(Group header, Signature body) {
		return new Chord(header, body);
	}

	/**
	 * Returns a chord of the given header members and body.
	 * @param header the header members
	 * @param body the body
	 * @return the chord
	 */
	static Chord chord(List<Signature> header, Signature body) {
		return new Chord(new Group(header), body);
	}

}
