package io.celeriac.autoconfigure.control;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import io.celeriac.task.Deferrable;

/**
 * Tasks for the remote control tests: one that adds, and one that blocks until it is
 * interrupted (or a minute passes). Each notes the arguments it began with.
 *
 * @author Celeriac team
 */
public class ControlTasks {

	private final List<String> started = new CopyOnWriteArrayList<>();

	private final List<String> interrupted = new CopyOnWriteArrayList<>();

	/**
	 * Returns what the tasks began with, in order.
	 * @return one line per run
	 */
	public List<String> started() {
		return this.started;
	}

	/**
	 * Returns the labels of the blocking tasks that were interrupted.
	 * @return the labels
	 */
	public List<String> interrupted() {
		return this.interrupted;
	}

	@Deferrable(name = "ctl.add")
	public CompletableFuture<Integer> add(int x, int y) {
		this.started.add("add " + x + " " + y);
		return CompletableFuture.completedFuture(x + y);
	}

	@Deferrable(name = "ctl.block")
	public void block(String label) throws InterruptedException {
		this.started.add("block " + label);
		try {
			Thread.sleep(Duration.ofMinutes(1).toMillis());
		}
		catch (InterruptedException ex) {
			this.interrupted.add(label);
			throw ex;
		}
	}

}
