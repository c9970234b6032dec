package io.celeriac.broker.redis;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.celeriac.protocol.WireMessage;
import org.jspecify.annotations.Nullable;

/**
 * Writes a {@link WireMessage} and its routing key to bytes and back, keeping the body
 * bytes, every property and every header with its type ({@code Integer} stays an
 * {@code Integer}, {@code Long} a {@code Long}, lists and nested tables keep their
 * order), as an AMQP header table would.
 *
 * @author Celeriac team
 */
final class RedisMessageCodec {

	private static final int VERSION = 1;

	private static final int NULL = 0;

	private static final int STRING = 1;

	private static final int INTEGER = 2;

	private static final int LONG = 3;

	private static final int BOOLEAN = 4;

	private static final int DOUBLE = 5;

	private static final int FLOAT = 6;

	private static final int LIST = 7;

	private static final int MAP = 8;

	private static final int BYTES = 9;

	private static final int SHORT = 10;

	private static final int BYTE = 11;

	private static final int DECIMAL = 12;

	private static final int DATE = 13;

	byte[] encode(Envelope envelope) {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream(envelope.message().body().length + 256);
		try (DataOutputStream out = new DataOutputStream(bytes)) {
			WireMessage message = envelope.message();
			out.writeByte(VERSION);
			writeString(out, envelope.routingKey());
			out.writeLong(envelope.expiresAt());
			writeNullable(out, message.contentType());
			writeNullable(out, message.contentEncoding());
			writeNullable(out, message.correlationId());
			writeNullable(out, message.replyTo());
			out.writeInt(message.priority());
			out.writeBoolean(message.persistent());
			writeNullable(out, message.expiration());
			writeValue(out, message.headers(), "");
			writeBytes(out, message.body());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return bytes.toByteArray();
	}

	Envelope decode(byte[] data) {
		try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(data))) {
			int version = in.readByte();
			if (version != VERSION) {
				throw new IllegalStateException("Unknown Redis broker message format " + version);
			}
			String routingKey = readString(in);
			long expiresAt = in.readLong();
			String contentType = readNullable(in);
			String contentEncoding = readNullable(in);
			String correlationId = readNullable(in);
			String replyTo = readNullable(in);
			int priority = in.readInt();
			boolean persistent = in.readBoolean();
			String expiration = readNullable(in);
			@SuppressWarnings("unchecked")
			Map<String, @Nullable Object> headers = (Map<String, @Nullable Object>) readValue(in);
			byte[] body = readBytes(in);
			return new Envelope(new WireMessage(body, contentType, contentEncoding,
					(headers != null) ? headers : Map.of(), correlationId, replyTo, priority, persistent, expiration),
					routingKey, expiresAt);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static void writeValue(DataOutputStream out, @Nullable Object value, String name) throws IOException {
		if (value == null) {
			out.writeByte(NULL);
		}
		else if (value instanceof String string) {
			out.writeByte(STRING);
			writeString(out, string);
		}
		else if (value instanceof Integer number) {
			out.writeByte(INTEGER);
			out.writeInt(number);
		}
		else if (value instanceof Long number) {
			out.writeByte(LONG);
			out.writeLong(number);
		}
		else if (value instanceof Boolean bool) {
			out.writeByte(BOOLEAN);
			out.writeBoolean(bool);
		}
		else if (value instanceof Double number) {
			out.writeByte(DOUBLE);
			out.writeDouble(number);
		}
		else if (value instanceof Float number) {
			out.writeByte(FLOAT);
			out.writeFloat(number);
		}
		else if (value instanceof Short number) {
			out.writeByte(SHORT);
			out.writeShort(number);
		}
		else if (value instanceof Byte number) {
			out.writeByte(BYTE);
			out.writeByte(number);
		}
		else if (value instanceof BigDecimal number) {
			out.writeByte(DECIMAL);
			writeString(out, number.toString());
		}
		else if (value instanceof Date date) {
			out.writeByte(DATE);
			out.writeLong(date.getTime());
		}
		else if (value instanceof byte[] data) {
			out.writeByte(BYTES);
			writeBytes(out, data);
		}
		else if (value instanceof List<?> list) {
			out.writeByte(LIST);
			out.writeInt(list.size());
			for (Object element : list) {
				writeValue(out, element, name);
			}
		}
		else if (value instanceof Map<?, ?> map) {
			out.writeByte(MAP);
			out.writeInt(map.size());
			for (Map.Entry<?, ?> entry : map.entrySet()) {
				writeString(out, String.valueOf(entry.getKey()));
				writeValue(out, entry.getValue(),
						name.isEmpty() ? String.valueOf(entry.getKey()) : name + "." + entry.getKey());
			}
		}
		else if (value instanceof CharSequence text) {
			out.writeByte(STRING);
			writeString(out, text.toString());
		}
		else {
			throw new IllegalArgumentException("Header '" + name + "' is a " + value.getClass().getName()
					+ ", which a message header cannot carry (use a string, number, boolean, list or map)");
		}
	}

	private static @Nullable Object readValue(DataInputStream in) throws IOException {
		int type = in.readByte();
		return switch (type) {
			case NULL -> null;
			case STRING -> readString(in);
			case INTEGER -> in.readInt();
			case LONG -> in.readLong();
			case BOOLEAN -> in.readBoolean();
			case DOUBLE -> in.readDouble();
			case FLOAT -> in.readFloat();
			case SHORT -> in.readShort();
			case BYTE -> in.readByte();
			case DECIMAL -> new BigDecimal(readString(in));
			case DATE -> new Date(in.readLong());
			case BYTES -> readBytes(in);
			case LIST -> {
				int size = in.readInt();
				List<@Nullable Object> list = new ArrayList<>(size);
				for (int i = 0; i < size; i++) {
					list.add(readValue(in));
				}
				yield list;
			}
			case MAP -> {
				int size = in.readInt();
				Map<String, @Nullable Object> map = new LinkedHashMap<>();
				for (int i = 0; i < size; i++) {
					map.put(readString(in), readValue(in));
				}
				yield map;
			}
			default -> throw new IllegalStateException("Unknown header value type " + type);
		};
	}

	private static void writeNullable(DataOutputStream out, @Nullable String value) throws IOException {
		out.writeBoolean(value != null);
		if (value != null) {
			writeString(out, value);
		}
	}

	private static @Nullable String readNullable(DataInputStream in) throws IOException {
		return in.readBoolean() ? readString(in) : null;
	}

	private static void writeString(DataOutputStream out, String value) throws IOException {
		writeBytes(out, value.getBytes(StandardCharsets.UTF_8));
	}

	private static String readString(DataInputStream in) throws IOException {
		return new String(readBytes(in), StandardCharsets.UTF_8);
	}

	private static void writeBytes(DataOutputStream out, byte[] value) throws IOException {
		out.writeInt(value.length);
		out.write(value);
	}

	private static byte[] readBytes(DataInputStream in) throws IOException {
		byte[] value = new byte[in.readInt()];
		in.readFully(value);
		return value;
	}

	/**
	 * A message as the Redis broker stores it.
	 *
	 * @param message the message
	 * @param routingKey the routing key it was published with
	 * @param expiresAt when it expires (epoch milliseconds), or {@code Long.MAX_VALUE}
	 */
	record Envelope(WireMessage message, String routingKey, long expiresAt) {

	}

}
