package io.celeriac.broker.rabbit;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Envelope;
import com.rabbitmq.client.impl.LongStringHelper;
import io.celeriac.protocol.WireMessage;
import org.junit.jupiter.api.Test;

import org.springframework.amqp.core.MessageDeliveryMode;
import org.springframework.amqp.core.MessageProperties;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a delivery's properties become on the way to a {@link WireMessage}.
 *
 * @author Celeriac team
 */
class WirePropertiesConverterTests {

	private final WirePropertiesConverter converter = new WirePropertiesConverter();

	@Test
	void headerLongStringsBecomeStringsAtAnySizeAndInsideListsAndTables() {
		String argsrepr = "x".repeat(5000);
		Map<String, Object> headers = new LinkedHashMap<>();
		headers.put("task", LongStringHelper.asLongString("reports.render"));
		headers.put("argsrepr", LongStringHelper.asLongString(argsrepr));
		headers.put("timelimit", List.of(LongStringHelper.asLongString("30"), 10));
		headers.put("stamps", Map.of("origin", LongStringHelper.asLongString("gen1@host")));
		headers.put("retries", 2);
		AMQP.BasicProperties properties = new AMQP.BasicProperties.Builder().headers(headers).build();

		MessageProperties converted = this.converter.toMessageProperties(properties, null, "UTF-8");

		assertThat(converted.getHeaders()).containsEntry("task", "reports.render")
			.containsEntry("argsrepr", argsrepr)
			.containsEntry("timelimit", List.of("30", 10))
			.containsEntry("stamps", Map.of("origin", "gen1@host"))
			.containsEntry("retries", 2);
	}

	@Test
	void readsTheFieldsOfAWireMessageAndTheEnvelope() {
		AMQP.BasicProperties properties = new AMQP.BasicProperties.Builder().contentType("application/json")
			.contentEncoding("utf-8")
			.correlationId("task-1")
			.replyTo("reply-queue")
			.priority(7)
			.deliveryMode(1)
			.expiration("60000")
			.build();
		Envelope envelope = new Envelope(42, true, "celery", "reports.render");

		MessageProperties converted = this.converter.toMessageProperties(properties, envelope, "UTF-8");
		WireMessage message = RabbitBroker.toWire(new byte[0], converted);

		assertThat(message)
			.extracting(WireMessage::contentType, WireMessage::contentEncoding, WireMessage::correlationId,
					WireMessage::replyTo, WireMessage::priority, WireMessage::persistent, WireMessage::expiration)
			.containsExactly("application/json", "utf-8", "task-1", "reply-queue", 7, false, "60000");
		assertThat(converted.getReceivedDeliveryMode()).isEqualTo(MessageDeliveryMode.NON_PERSISTENT);
		assertThat(converted.getDeliveryTag()).isEqualTo(42);
		assertThat(converted.isRedelivered()).isTrue();
		assertThat(converted.getReceivedExchange()).isEqualTo("celery");
		assertThat(converted.getReceivedRoutingKey()).isEqualTo("reports.render");
	}

	@Test
	void aMessageWithoutPropertiesIsPersistentWithPriorityZero() {
		MessageProperties converted = this.converter.toMessageProperties(new AMQP.BasicProperties(), null, "UTF-8");
		WireMessage message = RabbitBroker.toWire(new byte[0], converted);

		assertThat(message.headers()).isEmpty();
		assertThat(message.priority()).isZero();
		assertThat(message.persistent()).isTrue();
		assertThat(message.correlationId()).isNull();
	}

}
