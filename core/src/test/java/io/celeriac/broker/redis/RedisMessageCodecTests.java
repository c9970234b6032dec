package io.celeriac.broker.redis;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.celeriac.protocol.WireMessage;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for {@link RedisMessageCodec}.
 *
 * @author Celeriac team
 */
class RedisMessageCodecTests {

	private final RedisMessageCodec codec = new RedisMessageCodec();

	@Test
	void aMessageComesBackWithEveryPropertyAndHeaderTypesPreserved() {
		Map<String, @Nullable Object> nested = new LinkedHashMap<>();
		nested.put("b", 2L);
		nested.put("a", List.of(true, "x"));
		Map<String, @Nullable Object> headers = new LinkedHashMap<>();
		headers.put("retries", 3);
		headers.put("big", 5_000_000_000L);
		headers.put("small", 7L);
		headers.put("ratio", 0.5);
		headers.put("shadow", null);
		headers.put("timelimit", Arrays.asList(null, 30));
		headers.put("embed", nested);
		headers.put("raw", new byte[] { 1, 2, 3 });
		headers.put("amount", new BigDecimal("12.50"));
		headers.put("text", "ü ✓");
		byte[] body = "[[1], {}, {}]".getBytes(StandardCharsets.UTF_8);
		WireMessage message = new WireMessage(body, "application/json", "utf-8", headers, "id-1", "reply", 9, false,
				"60000");
		RedisMessageCodec.Envelope decoded = this.codec
			.decode(this.codec.encode(new RedisMessageCodec.Envelope(message, "reports.generate", 1234L)));
		WireMessage received = decoded.message();
		assertThat(decoded.routingKey()).isEqualTo("reports.generate");
		assertThat(decoded.expiresAt()).isEqualTo(1234L);
		assertThat(received.body()).isEqualTo(body);
		assertThat(received.contentType()).isEqualTo("application/json");
		assertThat(received.contentEncoding()).isEqualTo("utf-8");
		assertThat(received.correlationId()).isEqualTo("id-1");
		assertThat(received.replyTo()).isEqualTo("reply");
		assertThat(received.priority()).isEqualTo(9);
		assertThat(received.persistent()).isFalse();
		assertThat(received.expiration()).isEqualTo("60000");
		assertThat(received.headers().keySet()).containsExactlyElementsOf(headers.keySet());
		assertThat(received.headers().get("retries")).isInstanceOf(Integer.class).isEqualTo(3);
		assertThat(received.headers().get("big")).isInstanceOf(Long.class).isEqualTo(5_000_000_000L);
		assertThat(received.headers().get("small")).isInstanceOf(Long.class).isEqualTo(7L);
		assertThat(received.headers().get("ratio")).isEqualTo(0.5);
		assertThat(received.headers()).containsEntry("shadow", null);
		assertThat(received.headers().get("timelimit")).isEqualTo(Arrays.asList(null, 30));
		assertThat(received.headers().get("embed")).isEqualTo(nested);
		assertThat((byte[]) received.headers().get("raw")).containsExactly(1, 2, 3);
		assertThat(received.headers().get("amount")).isEqualTo(new BigDecimal("12.50"));
		assertThat(received.headers().get("text")).isEqualTo("ü ✓");
	}

	@Test
	void aHeaderOfAnUnsupportedTypeIsRefusedNamingIt() {
		WireMessage message = new WireMessage(new byte[0], null, null, Map.of("when", new Object()), null, null, 0,
				true, null);
		assertThatIllegalArgumentException()
			.isThrownBy(() -> this.codec.encode(new RedisMessageCodec.Envelope(message, "k", Long.MAX_VALUE)))
			.withMessageContaining("Header 'when'")
			.withMessageContaining("java.lang.Object");
	}

	@Test
	void prioritiesMapToHighMediumAndMain() {
		assertThat(RedisBroker.band(9)).isZero();
		assertThat(RedisBroker.band(7)).isZero();
		assertThat(RedisBroker.band(6)).isEqualTo(1);
		assertThat(RedisBroker.band(4)).isEqualTo(1);
		assertThat(RedisBroker.band(3)).isEqualTo(2);
		assertThat(RedisBroker.band(0)).isEqualTo(2);
	}

}
