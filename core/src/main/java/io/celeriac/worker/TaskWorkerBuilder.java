package io.celeriac.worker;

import java.time.Duration;
import java.util.Map;

import io.celeriac.broker.Broker;
import io.celeriac.delay.DelayedTaskScheduler;
import io.celeriac.delay.DelayedTaskStore;
import io.celeriac.delay.memory.InMemoryDelayedTaskStore;
import io.celeriac.limit.memory.InMemoryLimiters;
import io.celeriac.protocol.CeleryProtocol;
import io.celeriac.result.ResultStore;
import io.celeriac.task.Deferrable;
import io.celeriac.task.TaskRegistry;
import io.celeriac.topology.TaskRouter;
import io.celeriac.topology.Topology;
import io.celeriac.workflow.SignaturePublisher;
import io.celeriac.workflow.WorkflowContinuation;
import io.celeriac.workflow.WorkflowSettings;
import org.jspecify.annotations.Nullable;

/**
 * Assembles a {@link TaskWorker}: what it cannot do without is given to
 * {@link TaskWorker#builder}, the rest is optional, and what is not given is made for
 * this worker alone when it is built (an in-memory delayed task store with a scheduler of
 * its own, rate limits kept in this process, workflows that join chords with
 * {@code celery.chord_unlock}).
 *
 * @author Celeriac team
 */
public final class TaskWorkerBuilder {

	/**
	 * How many attempts the worker remembers having published the retry of.
	 */
	private static final int RETRY_LEDGER_CAPACITY = 10_000;

	private final Broker broker;

	private final TaskRegistry registry;

	private final CeleryProtocol protocol;

	private final ErrorQueue errorQueue;

	private final Topology topology;

	private final TaskRouter router;

	private final WorkerSettings settings;

	private @Nullable ResultStore results;

	private @Nullable DelayedTaskStore delayedTasks;

	private WorkerExtensions extensions = WorkerExtensions.none();

	private @Nullable WorkflowContinuation workflows;

	private @Nullable TaskRateLimits rateLimits;

	private TaskRevocation revocation = TaskRevocation.NONE;

	private @Nullable Integer pendingOutcomes;

	TaskWorkerBuilder(Broker broker, TaskRegistry registry, CeleryProtocol protocol, ErrorQueue errorQueue,
			Topology topology, TaskRouter router, WorkerSettings settings) {
		this.broker = broker;
		this.registry = registry;
		this.protocol = protocol;
		this.errorQueue = errorQueue;
		this.topology = topology;
		this.router = router;
		this.settings = settings;
	}

	/**
	 * Records outcomes in the given store; without one, the worker records none.
	 * @param results the result store, or {@code null}
	 * @return this builder
	 */
	public TaskWorkerBuilder results(@Nullable ResultStore results) {
		this.results = results;
		return this;
	}

	/**
	 * Keeps tasks whose {@code eta} is in the future, or whose rate limit makes them
	 * wait, in the given store (a {@link DelayedTaskScheduler} on the same store
	 * publishes them when due); without one, in memory with a scheduler of the worker's
	 * own.
	 * @param delayedTasks the store, or {@code null}
	 * @return this builder
	 */
	public TaskWorkerBuilder delayedTasks(@Nullable DelayedTaskStore delayedTasks) {
		this.delayedTasks = delayedTasks;
		return this;
	}

	/**
	 * Adds listeners, interceptors and metadata contributors.
	 * @param extensions the extensions
	 * @return this builder
	 */
	public TaskWorkerBuilder extensions(WorkerExtensions extensions) {
		this.extensions = extensions;
		return this;
	}

	/**
	 * Continues what each message's {@code embed} asks (callbacks, chains, chords) with
	 * the given continuation; without one, with one that joins chords with
	 * {@code celery.chord_unlock}.
	 * @param workflows the continuation, or {@code null}
	 * @return this builder
	 */
	public TaskWorkerBuilder workflows(@Nullable WorkflowContinuation workflows) {
		this.workflows = workflows;
		return this;
	}

	/**
	 * Keeps the tasks' rate limits with the given rate limits, shared with the other
	 * workers of the fleet; without them, those of {@link Deferrable#rateLimit()} kept in
	 * this process only.
	 * @param rateLimits the rate limits, or {@code null}
	 * @return this builder
	 */
	public TaskWorkerBuilder rateLimits(@Nullable TaskRateLimits rateLimits) {
		this.rateLimits = rateLimits;
		return this;
	}

	/**
	 * Refuses the tasks the given revocation names (Celery's {@code revoke}): those are
	 * recorded REVOKED and not run.
	 * @param revocation the revocation
	 * @return this builder
	 */
	public TaskWorkerBuilder revocation(TaskRevocation revocation) {
		this.revocation = revocation;
		return this;
	}

	/**
	 * Bounds the outcomes that wait for their write (their deliveries unacknowledged):
	 * when that many wait, the worker takes no new message until some are recorded. By
	 * default, the prefetch.
	 * @param pendingOutcomes the bound, at least 1, or {@code null} for the prefetch
	 * @return this builder
	 */
	public TaskWorkerBuilder pendingOutcomes(@Nullable Integer pendingOutcomes) {
		this.pendingOutcomes = pendingOutcomes;
		return this;
	}

	/**
	 * Builds the worker, making what was not given.
	 * @return the worker, not started
	 */
	public TaskWorker build() {
		TaskRateLimits rateLimits = (this.rateLimits != null) ? this.rateLimits
				: new TaskRateLimits(new InMemoryLimiters(), Map.of());
		WorkflowContinuation workflows = (this.workflows != null) ? this.workflows
				: WorkflowContinuation.withChordUnlock(
						new SignaturePublisher(this.broker, this.topology, this.router, this.protocol,
								this.extensions.contributors()),
						this.results, WorkflowSettings.defaults(), this.settings.name(),
						this.settings.confirmTimeout().toMillis());
		DelayedTaskStore delayedTasks = this.delayedTasks;
		DelayedTaskScheduler ownScheduler = null;
		if (delayedTasks == null) {
			delayedTasks = new InMemoryDelayedTaskStore();
			ownScheduler = new DelayedTaskScheduler(delayedTasks, this.broker,
					new DelayedTaskScheduler.Settings(Duration.ofMillis(50), 500,
							this.settings.confirmTimeout().plusSeconds(30), this.settings.confirmTimeout()));
		}
		LifecycleEvents events = new LifecycleEvents(this.extensions.listeners());
		RetryPublisher retries = new RetryPublisher(this.broker, this.topology, this.protocol, this.settings,
				new RetryLedger(RETRY_LEDGER_CAPACITY));
		int bound = (this.pendingOutcomes != null) ? this.pendingOutcomes : this.settings.prefetch();
		TaskOutcomes outcomes = new TaskOutcomes(this.results, this.errorQueue, workflows, this.settings, retries,
				events, bound);
		TaskExecution execution = new TaskExecution(this.registry, this.protocol, this.topology, this.settings,
				delayedTasks, rateLimits, this.revocation, workflows, this.extensions, events, outcomes);
		return new TaskWorker(this.broker, this.registry, this.topology, this.router, this.settings, execution,
				outcomes.pipeline(), ownScheduler);
	}

}
