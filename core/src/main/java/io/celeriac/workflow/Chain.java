package io.celeriac.workflow;

import java.util.List;

/**
 * Steps that run one after the other, each receiving the previous step's result as first
 * argument unless it is immutable (Celery's {@code chain}). Its result is the last
 * step's.
 *
 * @param steps the steps, first first
 * @author Celeriac team
 */
public record Chain(List<Signature> steps) implements Workflow {

	public Chain {
		if (steps.isEmpty()) {
			throw new IllegalArgumentException("A chain needs at least one step");
		}
		steps = List.copyOf(steps);
	}

}
