package io.celeriac.protocol;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * The application headers of a Celery protocol v2 task message. Every header Celery 5.2.6
 * sends is here; {@code extra} holds any other header (e.g. one given with
 * {@code apply_async(headers=...)}), which Celery merges into the same table.
 *
 * @param lang the producer's language: {@code py} from Celery, {@code java} from Celeriac
 * @param task the registered task name
 * @param id the task id; equals the AMQP {@code correlation_id} and stays the same across
 * retries
 * @param shadow an alternative display name, or {@code null}
 * @param eta the earliest execution time (ISO 8601), or {@code null}
 * @param expires the expiry time (ISO 8601), or {@code null}
 * @param group the group id, or {@code null}
 * @param groupIndex the position in a chord header, or {@code null}
 * @param retries how many retries happened before this delivery
 * @param timeLimit the hard and soft time limits
 * @param rootId the id of the first task of the workflow (its own id for a lone task)
 * @param parentId the id of the task that published this one, or {@code null}
 * @param argsrepr the positional arguments rendered as Python would print them
 * @param kwargsrepr the keyword arguments rendered as Python would print them
 * @param origin {@code gen<pid>@<host>} of the publishing process
 * @param ignoreResult whether the publisher asked not to store a result
 * @param extra every other header, in order
 * @author Celeriac team
 */
public record TaskHeaders(String lang, String task, String id, @Nullable String shadow, @Nullable String eta,
		@Nullable String expires, @Nullable String group, @Nullable Integer groupIndex, int retries,
		TimeLimit timeLimit, String rootId, @Nullable String parentId, String argsrepr, String kwargsrepr,
		String origin, boolean ignoreResult, Map<String, @Nullable Object> extra) {

	public TaskHeaders {
		extra = Collections.unmodifiableMap(new LinkedHashMap<>(extra));
	}

	/**
	 * Starts the headers of a new task that Celeriac sends: {@code lang} {@code java}, no
	 * retries, no time limits, no group, the task its own root, and no parent until
	 * {@link Builder#lineage(String, String)} says otherwise.
	 * @param task the registered task name
	 * @param id the task id
	 * @param origin the sending node, {@code gen<pid>@<host>} ({@link Origin#current()})
	 * @return a builder
	 */
	public static Builder builder(String task, String id, String origin) {
		return new Builder("java", task, id, id, origin);
	}

	/**
	 * Starts the headers of this task sent again by a node, as Celery's
	 * {@code self.retry} sends it: the same id and everything else of these headers, but
	 * the parent id is the task's own id and the origin is the node that sends it now (as
	 * Celery sets {@code origin} to the sender of each message).
	 * @param origin the node sending it again, {@code gen<pid>@<host>}
	 * @return a builder, to set at least the new {@code eta} and {@code retries}
	 */
	public Builder again(String origin) {
		Builder builder = new Builder(this.lang, this.task, this.id, this.rootId, origin);
		builder.shadow = this.shadow;
		builder.eta = this.eta;
		builder.expires = this.expires;
		builder.group = this.group;
		builder.groupIndex = this.groupIndex;
		builder.retries = this.retries;
		builder.timeLimit = this.timeLimit;
		builder.parentId = this.id;
		builder.argsrepr = this.argsrepr;
		builder.kwargsrepr = this.kwargsrepr;
		builder.ignoreResult = this.ignoreResult;
		builder.extra.putAll(this.extra);
		return builder;
	}

	/**
	 * Builds the headers of a task message, Celery protocol v2, in the one place that
	 * knows which header holds what: the client, the worker's retries, workflows and the
	 * chord unlock task all start from
	 * {@link TaskHeaders#builder(String, String, String)} or
	 * {@link TaskHeaders#again(String)}.
	 */
	public static final class Builder {

		private final String lang;

		private final String task;

		private final String id;

		private final String origin;

		private String rootId;

		private @Nullable String parentId;

		private @Nullable String shadow;

		private @Nullable String eta;

		private @Nullable String expires;

		private @Nullable String group;

		private @Nullable Integer groupIndex;

		private int retries;

		private TimeLimit timeLimit = TimeLimit.NONE;

		private String argsrepr = "";

		private String kwargsrepr = "";

		private boolean ignoreResult;

		private final Map<String, @Nullable Object> extra = new LinkedHashMap<>();

		private Builder(String lang, String task, String id, String rootId, String origin) {
			this.lang = lang;
			this.task = task;
			this.id = id;
			this.rootId = rootId;
			this.origin = origin;
		}

		/**
		 * Sets the earliest time the task runs.
		 * @param eta the time, or {@code null} to run it at once
		 * @return this builder
		 */
		public Builder eta(@Nullable Instant eta) {
			this.eta = CeleryTime.format(eta);
			return this;
		}

		/**
		 * Sets the time after which the task is not run.
		 * @param expires the time, or {@code null} for never
		 * @return this builder
		 */
		public Builder expires(@Nullable Instant expires) {
			this.expires = CeleryTime.format(expires);
			return this;
		}

		/**
		 * Sets the workflow the task belongs to.
		 * @param rootId the first task of the workflow, or {@code null} for the task
		 * itself
		 * @param parentId the task that sent this one, or {@code null}
		 * @return this builder
		 */
		public Builder lineage(@Nullable String rootId, @Nullable String parentId) {
			this.rootId = (rootId != null) ? rootId : this.id;
			this.parentId = parentId;
			return this;
		}

		/**
		 * Sets the group the task belongs to.
		 * @param group the group id, or {@code null}
		 * @param index its position in a chord's header, or {@code null}
		 * @return this builder
		 */
		public Builder group(@Nullable String group, @Nullable Integer index) {
			this.group = group;
			this.groupIndex = index;
			return this;
		}

		/**
		 * Sets how many retries happened before this message.
		 * @param retries the count
		 * @return this builder
		 */
		public Builder retries(int retries) {
			this.retries = retries;
			return this;
		}

		/**
		 * Sets the arguments as Python would print them, for people reading the message.
		 * @param argsrepr the positional arguments
		 * @param kwargsrepr the keyword arguments
		 * @return this builder
		 */
		public Builder reprs(String argsrepr, String kwargsrepr) {
			this.argsrepr = argsrepr;
			this.kwargsrepr = kwargsrepr;
			return this;
		}

		/**
		 * Sets whether the sender asks not to store a result.
		 * @param ignoreResult {@code true} to store none
		 * @return this builder
		 */
		public Builder ignoreResult(boolean ignoreResult) {
			this.ignoreResult = ignoreResult;
			return this;
		}

		/**
		 * Adds headers outside the protocol's, replacing those of the same name.
		 * @param headers the headers, in order
		 * @return this builder
		 */
		public Builder extra(Map<String, ? extends @Nullable Object> headers) {
			this.extra.putAll(headers);
			return this;
		}

		/**
		 * Builds the headers.
		 * @return the headers
		 */
		public TaskHeaders build() {
			return new TaskHeaders(this.lang, this.task, this.id, this.shadow, this.eta, this.expires, this.group,
					this.groupIndex, this.retries, this.timeLimit, this.rootId, this.parentId, this.argsrepr,
					this.kwargsrepr, this.origin, this.ignoreResult, this.extra);
		}

	}

}
