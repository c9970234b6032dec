package io.celeriac.autoconfigure.observation;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.celeriac.task.Deferrable;

/**
 * A task that writes a log line, whose MDC the tracing tests read.
 *
 * @author Celeriac team
 */
public class TracedTasks {

	private static final Logger logger = LoggerFactory.getLogger(TracedTasks.class);

	@Deferrable(name = "traced.work")
	public void work(String value) {
		logger.info("Working on {}", value);
	}

}
