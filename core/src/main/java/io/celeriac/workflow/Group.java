package io.celeriac.workflow;

import java.util.List;

/**
 * Members that run in parallel (Celery's {@code group}). Its result is the list of the
 * members' results in member order.
 *
 * @param members the members
 * @author Celeriac team
 */
public record Group(List<Signature> members) implements Workflow {

	public Group {
		if (members.isEmpty()) {
			throw new IllegalArgumentException("A group needs at least one member");
		}
		members = List.copyOf(members);
	}

}
