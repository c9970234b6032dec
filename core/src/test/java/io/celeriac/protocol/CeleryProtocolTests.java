package io.celeriac.protocol;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link CeleryProtocol}, against messages captured from Celery 5.2.6.
 *
 * @author Celeriac team
 */
class CeleryProtocolTests {

	private final JsonMapper mapper = new JsonMapper();

	private final CeleryProtocol protocol = new CeleryProtocol(this.mapper);

	@Test
	void decodesACapturedCeleryMessage() throws IOException {
		TaskMessage message = this.protocol.decode(captured("msg-simple.json"));
		assertThat(message.task()).isEqualTo("reports.generate");
		assertThat(message.id()).isEqualTo("1cbf7317-0b15-4d24-8877-ababe7c0c770");
		assertThat(message.headers().lang()).isEqualTo("py");
		assertThat(message.headers().rootId()).isEqualTo(message.id());
		assertThat(message.headers().parentId()).isNull();
		assertThat(message.headers().retries()).isZero();
		assertThat(message.headers().timeLimit()).isEqualTo(TimeLimit.NONE);
		assertThat(message.body().args().toString()).isEqualTo("[42]");
		assertThat(message.body().kwargs().get("fmt").stringValue()).isEqualTo("csv");
		assertThat(message.body().embed().has("callbacks")).isTrue();
		assertThat(message.replyTo()).isEqualTo("005173cf-5c75-3d9a-87dc-aa5d4618c441");
	}

	@Test
	void keepsExtraHeadersTimeLimitsAndFlags() throws IOException {
		TaskMessage message = this.protocol.decode(captured("msg-options.json"));
		assertThat(message.headers().shadow()).isEqualTo("nightly-report");
		assertThat(message.headers().timeLimit().hard()).isEqualTo(60);
		assertThat(message.headers().timeLimit().soft()).isEqualTo(50);
		assertThat(message.headers().ignoreResult()).isTrue();
		assertThat(message.headers().extra()).containsEntry("x-tenant", "acme");
	}

	@Test
	void encodesEveryHeaderCelerySendsInItsOrderAndType() throws IOException {
		WireMessage celery = captured("msg-simple.json");
		TaskMessage decoded = this.protocol.decode(celery);
		WireMessage encoded = this.protocol.encode(decoded);
		assertThat(new ArrayList<>(encoded.headers().keySet())).isEqualTo(new ArrayList<>(celery.headers().keySet()));
		celery.headers().forEach((name, value) -> assertThat(encoded.headers().get(name)).as(name).isEqualTo(value));
		assertThat(encoded.contentType()).isEqualTo("application/json");
		assertThat(encoded.contentEncoding()).isEqualTo("utf-8");
		assertThat(encoded.correlationId()).isEqualTo(decoded.id());
		assertThat(encoded.replyTo()).isEqualTo(celery.replyTo());
		assertThat(encoded.priority()).isZero();
		assertThat(encoded.persistent()).isTrue();
		assertThat(this.mapper.readTree(encoded.body())).isEqualTo(this.mapper.readTree(celery.body()));
	}

	@Test
	void roundTripsNonAsciiArguments() throws IOException {
		WireMessage celery = captured("msg-unicode-args.json");
		TaskMessage decoded = this.protocol.decode(celery);
		assertThat(decoded.body().args().get(0).stringValue()).isEqualTo("Zürich – 東京 ✓");
		TaskMessage again = this.protocol.decode(this.protocol.encode(decoded));
		assertThat(again.body()).isEqualTo(decoded.body());
	}

	@Test
	void rendersArgumentsAsPythonReprDoes() throws IOException {
		for (String file : List.of("msg-simple.json", "msg-unicode-args.json")) {
			TaskMessage message = this.protocol.decode(captured(file));
			assertThat(CeleryProtocol.pythonRepr(message.body().args())).as(file)
				.isEqualTo(message.headers().argsrepr());
			assertThat(CeleryProtocol.pythonRepr(message.body().kwargs())).as(file)
				.isEqualTo(message.headers().kwargsrepr());
		}
		ArrayNode nested = (ArrayNode) this.mapper.readTree("[[1, \"a\"], null, true, 2.5, \"it's\"]");
		assertThat(CeleryProtocol.pythonRepr(nested)).isEqualTo("[[1, 'a'], None, True, 2.5, \"it's\"]");
	}

	@Test
	void bodyThatIsNotJsonIsRejected() throws IOException {
		WireMessage broken = withBody(captured("msg-simple.json"), "not json at all");
		assertThatExceptionOfType(InvalidTaskMessageException.class).isThrownBy(() -> this.protocol.decode(broken))
			.satisfies((ex) -> assertThat(ex.getKind()).isEqualTo(ErrorKind.BODY_NOT_JSON))
			.withMessageContaining("not json at all");
	}

	@Test
	void bodyThatIsNotTheProtocolTripleIsRejected() throws IOException {
		for (String body : List.of("{\"args\": [1]}", "[[1], {}]", "[{}, {}, {}]", "[[1], [], {}]", "[[1], {}, 3]")) {
			WireMessage broken = withBody(captured("msg-simple.json"), body);
			assertThatExceptionOfType(InvalidTaskMessageException.class).as(body)
				.isThrownBy(() -> this.protocol.decode(broken))
				.satisfies((ex) -> assertThat(ex.getKind()).isEqualTo(ErrorKind.BODY_NOT_PROTOCOL_V2));
		}
	}

	@Test
	void missingTaskOrIdHeaderIsRejected() throws IOException {
		for (String header : List.of("task", "id")) {
			WireMessage celery = captured("msg-simple.json");
			Map<String, Object> headers = new LinkedHashMap<>(celery.headers());
			headers.remove(header);
			WireMessage broken = new WireMessage(celery.body(), celery.contentType(), celery.contentEncoding(), headers,
					celery.correlationId(), celery.replyTo(), 0, true, null);
			assertThatExceptionOfType(InvalidTaskMessageException.class).isThrownBy(() -> this.protocol.decode(broken))
				.satisfies((ex) -> assertThat(ex.getKind()).isEqualTo(ErrorKind.MISSING_HEADER))
				.withMessageContaining("'" + header + "'");
		}
	}

	@Test
	void otherContentTypesAreRejected() throws IOException {
		WireMessage celery = captured("msg-simple.json");
		WireMessage pickled = new WireMessage(celery.body(), "application/x-python-serialize", "binary",
				celery.headers(), celery.correlationId(), celery.replyTo(), 0, true, null);
		assertThatExceptionOfType(InvalidTaskMessageException.class).isThrownBy(() -> this.protocol.decode(pickled))
			.satisfies((ex) -> assertThat(ex.getKind()).isEqualTo(ErrorKind.UNSUPPORTED_CONTENT_TYPE));
	}

	private WireMessage withBody(WireMessage message, String body) {
		return new WireMessage(body.getBytes(StandardCharsets.UTF_8), message.contentType(), message.contentEncoding(),
				message.headers(), message.correlationId(), message.replyTo(), 0, true, null);
	}

	/**
	 * Reads the first message of a capture, as a broker would deliver it.
	 */
	private WireMessage captured(String file) throws IOException {
		try (InputStream input = getClass().getResourceAsStream("/celery-wire/" + file)) {
			JsonNode message = this.mapper.readTree(input).get("messages").get(0);
			Map<String, Object> headers = new LinkedHashMap<>();
			for (Map.Entry<String, JsonNode> header : message.get("headers").properties()) {
				headers.put(header.getKey(), plain(header.getValue()));
			}
			JsonNode properties = message.get("properties");
			return new WireMessage(message.get("body_raw").stringValue().getBytes(StandardCharsets.UTF_8),
					properties.get("content_type").stringValue(), properties.get("content_encoding").stringValue(),
					headers, properties.get("correlation_id").stringValue(), properties.get("reply_to").stringValue(),
					properties.get("priority").intValue(), true, null);
		}
	}

	private static Object plain(JsonNode value) {
		if (value.isNull()) {
			return null;
		}
		if (value.isInt()) {
			return value.intValue();
		}
		if (value.isBoolean()) {
			return value.booleanValue();
		}
		if (value.isArray()) {
			List<Object> list = new ArrayList<>();
			value.values().forEach((element) -> list.add(plain(element)));
			return Arrays.asList(list.toArray());
		}
		return value.stringValue();
	}

	@Test
	void emptyEmbedIsWhatCelerySendsForALoneTask() {
		ObjectNode embed = this.protocol.emptyEmbed();
		assertThat(embed.toString()).isEqualTo("{\"callbacks\":null,\"errbacks\":null,\"chain\":null,\"chord\":null}");
	}

}
