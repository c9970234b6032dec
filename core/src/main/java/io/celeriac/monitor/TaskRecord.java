package io.celeriac.monitor;

import java.time.Instant;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * One task message as the monitor saw it: who sent what, where to, and when. Related to
 * its result by task id only, since the result may be recorded first.
 *
 * @param taskId the task id
 * @param name the task name
 * @param args the positional arguments
 * @param kwargs the keyword arguments
 * @param routingKey the routing key it was published with
 * @param eta when it should run, as sent (ISO 8601), if delayed
 * @param expires when it expires, as sent (ISO 8601), if it does
 * @param parentId the task that sent it, if any
 * @param rootId the first task of its workflow
 * @param groupId the group it belongs to, if any
 * @param retries how many times it was retried before this message
 * @param origin the process that sent it
 * @param seenAt when the monitor first saw it
 * @author Celeriac team
 */
public record TaskRecord(String taskId, String name, JsonNode args, JsonNode kwargs, String routingKey,
		@Nullable String eta, @Nullable String expires, @Nullable String parentId, @Nullable String rootId,
		@Nullable String groupId, int retries, @Nullable String origin, Instant seenAt) {

}
