package io.celeriac.broker.sqs;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

import io.celeriac.broker.kombu.KombuEnvelope;
import io.celeriac.protocol.WireMessage;

/**
 * Writes a {@link WireMessage} as the body of an SQS message exactly as kombu 5.2's SQS
 * transport does, and reads what that transport writes: the base64 text of a
 * {@link KombuEnvelope}. Like kombu, the reader also takes an envelope that is not
 * base64, and a JSON body without envelope (taken whole as the body); anything else is
 * read as an {@link WireMessage#unreadable(byte[], String) unreadable message}.
 *
 * @author Celeriac team
 */
final class SqsMessageCodec {

	private static final Base64.Encoder ENCODER = Base64.getEncoder();

	private static final Base64.Decoder DECODER = Base64.getDecoder();

	private final KombuEnvelope kombu = new KombuEnvelope();

	String encode(WireMessage message, String exchange, String routingKey) {
		return ENCODER.encodeToString(this.kombu.write(message, exchange, routingKey, Map.of()));
	}

	KombuEnvelope.Unpacked decode(String sqsBody) {
		return this.kombu.read(optionalBase64(sqsBody), KombuEnvelope.BareJson.BODY);
	}

	/**
	 * Decodes base64 only where encoding the result gives the text back, as kombu's
	 * {@code _optional_b64_decode} does, so that plain JSON passes unchanged.
	 */
	private static byte[] optionalBase64(String text) {
		try {
			byte[] decoded = DECODER.decode(text);
			if (ENCODER.encodeToString(decoded).equals(text)) {
				return decoded;
			}
		}
		catch (IllegalArgumentException ex) {
			// not base64: plain JSON
		}
		return text.getBytes(StandardCharsets.UTF_8);
	}

}
