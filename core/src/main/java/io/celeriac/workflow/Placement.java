package io.celeriac.workflow;

import io.celeriac.task.CurrentTask;
import org.jspecify.annotations.Nullable;

/**
 * Where a published task sits in its workflow: the headers {@code parent_id},
 * {@code root_id}, {@code group} and {@code group_index} as Celery sets them.
 *
 * @param parentId the task that published it, or {@code null} from a client
 * @param rootId the first task of the workflow, or {@code null} for the task itself
 * @param group the group it belongs to, or {@code null}
 * @param groupIndex its position in a chord header, or {@code null}
 * @author Celeriac team
 */
public record Placement(@Nullable String parentId, @Nullable String rootId, @Nullable String group,
		@Nullable Integer groupIndex) {

	/**
	 * Returns the placement of a task published by the given one.
	 * @param parentId the publishing task's id
	 * @param rootId its root id
	 * @return the placement
	 */
	public static Placement childOf(String parentId, String rootId) {
		return new Placement(parentId, rootId, null, null);
	}

	/**
	 * Returns the placement of a task sent from here: a child of the task this thread
	 * runs, if any, else a root.
	 * @return the placement
	 */
	public static Placement current() {
		CurrentTask current = CurrentTask.get();
		return (current != null) ? childOf(current.id(), current.rootId()) : new Placement(null, null, null, null);
	}

	/**
	 * Returns a copy in the given group.
	 * @param group the group id
	 * @param groupIndex the position in a chord header, or {@code null} in a plain group
	 * @return the new placement
	 */
	public Placement inGroup(String group, @Nullable Integer groupIndex) {
		return new Placement(this.parentId, this.rootId, group, groupIndex);
	}

}
