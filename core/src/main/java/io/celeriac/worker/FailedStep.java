package io.celeriac.worker;

import io.celeriac.broker.Delivery;
import io.celeriac.protocol.TaskMessage;

/**
 * What the worker does with a delivery whose outcome is recorded but whose follow-up
 * failed (a workflow could not be continued, the error queue did not confirm): it gives
 * it back, as it did before outcomes were pipelined.
 *
 * @author Celeriac team
 */
@FunctionalInterface
interface FailedStep {

	void giveBack(Delivery delivery, TaskMessage message, RuntimeException failure);

}
