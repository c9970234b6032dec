package io.celeriac.protocol;

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

}
