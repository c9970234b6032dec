package io.celeriac.workflow;

import java.util.List;

import io.celeriac.protocol.TaskMessage;
import io.celeriac.result.TaskResult;

/**
 * Joins the header of a chord: finds out when every member is done and then sends the
 * body once, with the members' results in header order, or fails it with a
 * {@code ChordError}. Each result backend of Celery joins its own way, and a Java and a
 * Python process sharing a backend must join the same way: {@link ChordUnlockJoin} for
 * the database backend (a {@code celery.chord_unlock} task polls the results), the
 * counter of {@code io.celeriac.workflow.redis.RedisChordJoin} for Redis.
 *
 * @author Celeriac team
 */
public interface ChordJoin {

	/**
	 * Called by the client before it publishes a chord's header.
	 * @param groupId the chord's group id
	 * @param size how many members the header has
	 */
	void prepare(String groupId, int size);

	/**
	 * Called by the client once the header is published.
	 * @param groupId the chord's group id
	 * @param memberIds the header members' task ids, in header order
	 * @param body the body, frozen (with its task id)
	 * @param placement where the client sits (a task sending a chord is its parent)
	 */
	void started(String groupId, List<String> memberIds, Signature body, Placement placement);

	/**
	 * Called by the worker once a header member's final outcome is recorded.
	 * @param member the member's message (its {@code group} header and its
	 * {@code embed.chord} body)
	 * @param outcome the member's final outcome
	 */
	void memberDone(TaskMessage member, TaskResult outcome);

}
