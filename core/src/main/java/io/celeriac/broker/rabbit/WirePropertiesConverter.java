package io.celeriac.broker.rabbit;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.rabbitmq.client.AMQP.BasicProperties;
import com.rabbitmq.client.Envelope;
import com.rabbitmq.client.LongString;
import org.jspecify.annotations.Nullable;

import org.springframework.amqp.core.MessageDeliveryMode;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.support.DefaultMessagePropertiesConverter;
import org.springframework.amqp.rabbit.support.MessagePropertiesConverter;

/**
 * Reads what a {@link io.celeriac.protocol.WireMessage} holds from a delivery's
 * properties, and nothing more: Spring AMQP's default converter also looks each header up
 * against the ones its retry and delay support use and finds the character set by name
 * per value, a fifth of a worker's time per task at the task path's rate. Header values
 * sent as AMQP long strings become strings, in lists and tables too, as with the default
 * converter (whose size limit for that does not apply).
 *
 * @author Celeriac team
 */
final class WirePropertiesConverter implements MessagePropertiesConverter {

	private final MessagePropertiesConverter outbound = new DefaultMessagePropertiesConverter();

	@Override
	public MessageProperties toMessageProperties(BasicProperties source, @Nullable Envelope envelope, String charset) {
		Charset decoding = "UTF-8".equals(charset) ? StandardCharsets.UTF_8 : Charset.forName(charset);
		MessageProperties target = new MessageProperties();
		Map<String, Object> headers = source.getHeaders();
		if (headers != null) {
			headers.forEach((key, value) -> target.setHeader(key, readable(value, decoding)));
		}
		Integer deliveryMode = source.getDeliveryMode();
		if (deliveryMode != null) {
			target.setReceivedDeliveryMode(MessageDeliveryMode.fromInt(deliveryMode));
		}
		target.setDeliveryMode(null);
		target.setExpiration(source.getExpiration());
		if (source.getPriority() != null) {
			target.setPriority(source.getPriority());
		}
		if (source.getContentType() != null) {
			target.setContentType(source.getContentType());
		}
		target.setContentEncoding(source.getContentEncoding());
		String correlationId = source.getCorrelationId();
		if (correlationId != null && !correlationId.isEmpty()) {
			target.setCorrelationId(correlationId);
		}
		target.setReplyTo(source.getReplyTo());
		if (envelope != null) {
			target.setReceivedExchange(envelope.getExchange());
			target.setReceivedRoutingKey(envelope.getRoutingKey());
			target.setRedelivered(envelope.isRedeliver());
			target.setDeliveryTag(envelope.getDeliveryTag());
		}
		return target;
	}

	private static @Nullable Object readable(@Nullable Object value, Charset charset) {
		if (value instanceof LongString text) {
			return new String(text.getBytes(), charset);
		}
		if (value instanceof List<?> list) {
			List<@Nullable Object> converted = new ArrayList<>(list.size());
			list.forEach((element) -> converted.add(readable(element, charset)));
			return converted;
		}
		if (value instanceof Map<?, ?> table) {
			Map<Object, @Nullable Object> converted = new LinkedHashMap<>();
			table.forEach((key, element) -> converted.put(key, readable(element, charset)));
			return converted;
		}
		return value;
	}

	@Override
	public BasicProperties fromMessageProperties(MessageProperties source, String charset) {
		return this.outbound.fromMessageProperties(source, charset);
	}

}
