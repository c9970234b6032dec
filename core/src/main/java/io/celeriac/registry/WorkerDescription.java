package io.celeriac.registry;

import java.time.Instant;
import java.util.List;

import org.springframework.util.Assert;

/**
 * What a worker announces about itself.
 *
 * @param id the worker's id, its Celery worker name (e.g. {@code celeriac-21586@host});
 * unique among running workers
 * @param host the host it runs on
 * @param pid its process id
 * @param queues the full names of the queues it consumes
 * @param started when it started
 * @param version the Celeriac version it runs
 * @param consuming whether it takes messages (not paused or stopping)
 * @param heartbeat when it announced this description, by its own clock
 * @param workingOn the tasks it runs now, retools' {@code working_on}
 * @author Celeriac team
 */
public record WorkerDescription(String id, String host, long pid, List<String> queues, Instant started, String version,
		boolean consuming, Instant heartbeat, List<WorkingOn> workingOn) {

	public WorkerDescription {
		Assert.hasText(id, "Worker id must not be empty");
		queues = List.copyOf(queues);
		workingOn = List.copyOf(workingOn);
	}

	/**
	 * A task a worker runs now.
	 *
	 * @param taskId the task's id
	 * @param task the task's name
	 * @param since when it began to run
	 */
	public record WorkingOn(String taskId, String task, Instant since) {

	}

}
