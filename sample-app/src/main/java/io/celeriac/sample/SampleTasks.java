package io.celeriac.sample;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.celeriac.task.Deferrable;
import io.celeriac.task.TaskClient;
import io.celeriac.task.TaskHandle;
import io.celeriac.task.TaskOptions;
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

	private final FeatureSwitch featureSwitch;

	private final TaskClient client;

	SampleTasks(FeatureSwitch featureSwitch, TaskClient client) {
		this.featureSwitch = featureSwitch;
		this.client = client;
	}

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
	 * Makes a report, which fails while the {@link FeatureSwitch} is off: the failed task
	 * goes to the error queue, from where it can be requeued once the switch is on.
	 * @param period the period the report covers
	 * @return a handle on the report
	 */
	@Deferrable(name = "sample.report")
	public TaskHandle<String> report(String period) {
		if (!this.featureSwitch.isOn()) {
			throw new IllegalStateException(
					"The report service is switched off; turn it on with POST /api/switch?on=true");
		}
		return TaskHandle.completed("Report for " + period);
	}

	/**
	 * Sends {@code sample.add(i, i)} for each {@code i} from 1 to {@code count}: the
	 * tasks it sends are its children (their parent id is this task's id), as a
	 * workflow's are.
	 * @param count how many tasks to send
	 * @return a handle on the ids of the tasks sent
	 */
	@Deferrable(name = "sample.doubles")
	public TaskHandle<List<String>> doubles(int count) {
		List<String> ids = new ArrayList<>();
		for (int i = 1; i <= count; i++) {
			ids.add(this.client.send("sample.add", List.of(i, i), Map.of(), TaskOptions.defaults()).id());
		}
		return TaskHandle.completed(ids);
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
