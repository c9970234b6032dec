package io.celeriac.test.worker;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;

import io.celeriac.protocol.WireMessage;
import org.jspecify.annotations.Nullable;

/**
 * Celery protocol v2 messages of a {@code sample.add} task as a Python client sends them,
 * with headers a test changes to make them wrong.
 *
 * @author Celeriac team
 */
public final class SampleTaskMessages {

	private SampleTaskMessages() {
	}

	/**
	 * A {@code sample.add(2, 3)} message with a new id.
	 * @return the message
	 */
	public static WireMessage add() {
		return add((headers) -> {
		});
	}

	/**
	 * A {@code sample.add(2, 3)} message, its headers changed as given; its correlation
	 * id is its {@code id} header after the change.
	 * @param change changes the headers
	 * @return the message
	 */
	public static WireMessage add(Consumer<Map<String, @Nullable Object>> change) {
		return add(2, 3, change);
	}

	/**
	 * A {@code sample.add(x, y)} message with a new id.
	 * @param x the first argument
	 * @param y the second argument
	 * @return the message
	 */
	public static WireMessage add(int x, int y) {
		return add(x, y, (headers) -> {
		});
	}

	private static WireMessage add(int x, int y, Consumer<Map<String, @Nullable Object>> change) {
		String id = UUID.randomUUID().toString();
		Map<String, @Nullable Object> headers = new LinkedHashMap<>();
		headers.put("lang", "py");
		headers.put("task", "sample.add");
		headers.put("id", id);
		headers.put("retries", 0);
		headers.put("root_id", id);
		headers.put("parent_id", null);
		headers.put("argsrepr", "(" + x + ", " + y + ")");
		headers.put("kwargsrepr", "{}");
		headers.put("origin", "gen1@test");
		headers.put("ignore_result", false);
		change.accept(headers);
		return new WireMessage(("[[" + x + ", " + y + "], {}, {}]").getBytes(StandardCharsets.UTF_8),
				"application/json", "utf-8", headers, String.valueOf(headers.get("id")), null, 0, true, null);
	}

}
