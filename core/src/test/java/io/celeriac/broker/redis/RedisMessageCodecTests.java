package io.celeriac.broker.redis;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.celeriac.protocol.WireMessage;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link RedisMessageCodec} and the names of kombu's Redis layout.
 *
 * @author Celeriac team
 */
class RedisMessageCodecTests {

	/**
	 * What Celery 5.2.6 on kombu 5.2.4 LPUSHed for
	 * {@code send_task("pq.add", args=[1, 2],
	 * priority=5, expires=60)}.
	 */
	private static final String FROM_CELERY = """
			{"body": "W1sxLCAyXSwge30sIHsiY2FsbGJhY2tzIjogbnVsbCwgImVycmJhY2tzIjogbnVsbCwgImNoYWluIjogbnVsbCwgImNob3JkIjogbnVsbH1d", \
			"content-encoding": "utf-8", "content-type": "application/json", "headers": {"lang": "py", "task": "pq.add", \
			"id": "1eb5e70d-5a53-485f-b892-4f2f716d76a8", "shadow": null, "eta": null, "expires": "2026-12-07T06:17:28.934200+00:00", \
			"group": null, "group_index": null, "retries": 0, "timelimit": [null, null], "root_id": "1eb5e70d-5a53-485f-b892-4f2f716d76a8", \
			"parent_id": null, "argsrepr": "[1, 2]", "kwargsrepr": "{}", "origin": "gen18401@vm", "ignore_result": false}, \
			"properties": {"correlation_id": "1eb5e70d-5a53-485f-b892-4f2f716d76a8", "reply_to": "d90342ca-5195-3892-9731-58a5f5b99d4c", \
			"delivery_mode": 2, "expiration": "60000", "delivery_info": {"exchange": "pex", "routing_key": "pq"}, "priority": 5, \
			"body_encoding": "base64", "delivery_tag": "e9e8ea31-2616-47c2-8c04-827e71463a25"}}""";

	private final RedisMessageCodec codec = new RedisMessageCodec();

	@Test
	void readsTheEnvelopeThatCeleryWrites() {
		RedisMessageCodec.Envelope envelope = this.codec.decode(FROM_CELERY.getBytes(StandardCharsets.UTF_8), "pq");
		WireMessage message = envelope.message();
		assertThat(new String(message.body(), StandardCharsets.UTF_8))
			.isEqualTo("[[1, 2], {}, {\"callbacks\": null, \"errbacks\": null, \"chain\": null, \"chord\": null}]");
		assertThat(message.contentType()).isEqualTo("application/json");
		assertThat(message.contentEncoding()).isEqualTo("utf-8");
		assertThat(message.headers()).containsEntry("task", "pq.add").containsEntry("retries", 0);
		assertThat(message.headers().get("timelimit")).isEqualTo(Arrays.asList(null, null));
		assertThat(message.correlationId()).isEqualTo("1eb5e70d-5a53-485f-b892-4f2f716d76a8");
		assertThat(message.replyTo()).isEqualTo("d90342ca-5195-3892-9731-58a5f5b99d4c");
		assertThat(message.priority()).isEqualTo(5);
		assertThat(message.persistent()).isTrue();
		assertThat(envelope.exchange()).isEqualTo("pex");
		assertThat(envelope.routingKey()).isEqualTo("pq");
		assertThat(envelope.redelivered()).isFalse();
		// kombu's Redis transport keeps no enqueue time: Celery's expires header rules
		assertThat(envelope.expiresAt()).isEqualTo(Long.MAX_VALUE);
	}

	@Test
	void writesKombusEnvelopeWithABase64Body() {
		Map<String, @Nullable Object> headers = new LinkedHashMap<>();
		headers.put("task", "reports.generate");
		headers.put("timelimit", Arrays.asList(null, 30));
		WireMessage message = new WireMessage("[[1], {}, {}]".getBytes(StandardCharsets.UTF_8), "application/json",
				"utf-8", headers, "id-1", "reply-1", 6, true, null);
		JsonNode written = JsonMapper.shared().readTree(this.codec.encode(message, "tasks", "reports", Long.MAX_VALUE));
		assertThat(written.path("body").asString()).isEqualTo("W1sxXSwge30sIHt9XQ==");
		assertThat(written.path("content-type").asString()).isEqualTo("application/json");
		assertThat(written.path("content-encoding").asString()).isEqualTo("utf-8");
		assertThat(written.path("headers").path("task").asString()).isEqualTo("reports.generate");
		JsonNode properties = written.path("properties");
		assertThat(properties.path("body_encoding").asString()).isEqualTo("base64");
		assertThat(properties.path("delivery_tag").asString()).hasSize(36);
		assertThat(properties.path("delivery_info").path("exchange").asString()).isEqualTo("tasks");
		assertThat(properties.path("delivery_info").path("routing_key").asString()).isEqualTo("reports");
		assertThat(properties.path("priority").asInt()).isEqualTo(6);
		assertThat(properties.path("correlation_id").asString()).isEqualTo("id-1");
		assertThat(properties.path("reply_to").asString()).isEqualTo("reply-1");
		assertThat(properties.path("delivery_mode").asInt()).isEqualTo(2);
		assertThat(properties.has(RedisMessageCodec.EXPIRES_AT)).isFalse();
	}

	@Test
	void aRedeliveredEnvelopeIsMarkedAsKombuMarksItAndCounted() {
		byte[] once = this.codec.redelivered(FROM_CELERY.getBytes(StandardCharsets.UTF_8));
		byte[] twice = this.codec.redelivered(once);
		JsonNode written = JsonMapper.shared().readTree(twice);
		assertThat(written.path("headers").path("redelivered").asBoolean()).isTrue();
		assertThat(written.path("properties").path("delivery_info").path("redelivered").asBoolean()).isTrue();
		RedisMessageCodec.Envelope envelope = this.codec.decode(twice, "pq");
		assertThat(envelope.redelivered()).isTrue();
		assertThat(envelope.returns()).isEqualTo(2);
		assertThat(envelope.message().headers()).containsEntry("task", "pq.add");
	}

	@Test
	void jsonThatIsNoEnvelopeIsReadAsAnUnreadableMessageKeepingTheEntry() {
		// kombu's Redis transport cannot read it either (Message needs 'properties')
		RedisMessageCodec.Envelope envelope = this.codec.decode("[1, 2]".getBytes(StandardCharsets.UTF_8), "q");
		assertThat(envelope.message().body()).isEqualTo("[1, 2]".getBytes(StandardCharsets.UTF_8));
		assertThat(envelope.message().unreadableReason()).contains("not kombu's envelope");
		assertThat(envelope.routingKey()).isEqualTo("q");
	}

	@Test
	void anEntryThatIsNotJsonOrWhoseBodyIsNotBase64IsReadAsAnUnreadableMessage() {
		RedisMessageCodec.Envelope notJson = this.codec.decode("{oops".getBytes(StandardCharsets.UTF_8), "q");
		assertThat(notJson.message().unreadableReason()).contains("not JSON");
		assertThat(notJson.message().body()).isEqualTo("{oops".getBytes(StandardCharsets.UTF_8));
		String badBody = "{\"body\": \"%%%\", \"headers\": {}, \"properties\": {\"body_encoding\": \"base64\"}}";
		RedisMessageCodec.Envelope notBase64 = this.codec.decode(badBody.getBytes(StandardCharsets.UTF_8), "q");
		assertThat(notBase64.message().unreadableReason()).contains("body is not base64");
		assertThat(notBase64.message().body()).isEqualTo(badBody.getBytes(StandardCharsets.UTF_8));
		assertThat(this.codec.decode(FROM_CELERY.getBytes(StandardCharsets.UTF_8), "pq").message().unreadableReason())
			.isNull();
	}

	@Test
	void bindingPatternsAreThoseOfKombusTopicExchange() {
		// as Celery 5.2.6 stored them in _kombu.binding.<exchange>
		assertThat(RedisBindings.topicPattern("#")).isEqualTo("^.*?$");
		assertThat(RedisBindings.topicPattern("pq")).isEqualTo("^pq$");
		assertThat(RedisBindings.topicPattern("reports.*")).isEqualTo("^reports\\..*?[^\\.]$");
		assertThat(RedisBindings.topicPattern("a-b")).isEqualTo("^a\\-b$");
	}

	@Test
	void priorityListsAreNamedAsKombuNamesThem() {
		assertThat(List.of(0, 2, 3, 5, 6, 8, 9, 12, -1).stream().map((p) -> RedisKeys.listName("q", p)))
			.containsExactly("q", "q", "q\u0006\u00163", "q\u0006\u00163", "q\u0006\u00166", "q\u0006\u00166",
					"q\u0006\u00169", "q\u0006\u00169", "q");
	}

}
