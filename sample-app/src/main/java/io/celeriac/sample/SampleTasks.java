package io.celeriac.sample;

import io.celeriac.task.Deferrable;
import io.celeriac.task.TaskHandle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Component;

/**
 * The sample's tasks. Calling them through the bean sends a task; this application's
 * worker runs it, as would any other process running the sample.
 *
 * @author Celeriac team
 */
@Component
public class SampleTasks {

	private static final Logger logger = LoggerFactory.getLogger(SampleTasks.class);

	/**
	 * Adds two numbers.
	 * @param x the first number
	 * @param y the second number
	 * @return a handle on the sum
	 */
	@Deferrable(name = "sample.add")
	public TaskHandle<Integer> add(int x, int y) {
		return TaskHandle.completed(x + y);
	}

	/**
	 * Fails, to show where failed tasks go.
	 * @param message the exception's message
	 */
	@Deferrable(name = "sample.fail")
	public void fail(String message) {
		throw new IllegalStateException(message);
	}

	/**
	 * Sleeps, to show a long task, graceful shutdown and redelivery after a crash.
	 * @param seconds how long to sleep
	 * @return a handle on the seconds slept
	 */
	@Deferrable(name = "sample.sleep")
	public TaskHandle<Double> sleep(double seconds) {
		logger.info("Sleeping {} s", seconds);
		try {
			Thread.sleep(Math.round(seconds * 1000));
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while sleeping", ex);
		}
		logger.info("Slept {} s", seconds);
		return TaskHandle.completed(seconds);
	}

}
