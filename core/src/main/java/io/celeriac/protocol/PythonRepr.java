package io.celeriac.protocol;

import java.util.Iterator;
import java.util.Map;

import tools.jackson.databind.JsonNode;

/**
 * Renders JSON values the way Python's {@code repr} prints the equivalent Python values,
 * for Celery's {@code argsrepr} and {@code kwargsrepr} headers, which Flower and Celery's
 * logs show. Like Celery, it stops at {@value #MAX_LENGTH} characters.
 *
 * @author Celeriac team
 */
final class PythonRepr {

	static final int MAX_LENGTH = 1024;

	private PythonRepr() {
	}

	static String of(JsonNode value) {
		StringBuilder text = new StringBuilder();
		append(text, value);
		return (text.length() <= MAX_LENGTH) ? text.toString() : text.substring(0, MAX_LENGTH - 3) + "...";
	}

	private static void append(StringBuilder text, JsonNode value) {
		if (text.length() > MAX_LENGTH) {
			return;
		}
		if (value.isNull() || value.isMissingNode()) {
			text.append("None");
		}
		else if (value.isBoolean()) {
			text.append(value.booleanValue() ? "True" : "False");
		}
		else if (value.isNumber()) {
			text.append(value.numberValue());
		}
		else if (value.isString()) {
			appendString(text, value.stringValue());
		}
		else if (value.isArray()) {
			text.append('[');
			Iterator<JsonNode> elements = value.values().iterator();
			while (elements.hasNext()) {
				append(text, elements.next());
				if (elements.hasNext()) {
					text.append(", ");
				}
			}
			text.append(']');
		}
		else if (value.isObject()) {
			text.append('{');
			Iterator<Map.Entry<String, JsonNode>> entries = value.properties().iterator();
			while (entries.hasNext()) {
				Map.Entry<String, JsonNode> entry = entries.next();
				appendString(text, entry.getKey());
				text.append(": ");
				append(text, entry.getValue());
				if (entries.hasNext()) {
					text.append(", ");
				}
			}
			text.append('}');
		}
		else {
			text.append(value);
		}
	}

	private static void appendString(StringBuilder text, String value) {
		char quote = (value.indexOf('\'') >= 0 && value.indexOf('"') < 0) ? '"' : '\'';
		text.append(quote);
		for (int i = 0; i < value.length(); i++) {
			char c = value.charAt(i);
			if (c == quote || c == '\\') {
				text.append('\\').append(c);
			}
			else if (c == '\n') {
				text.append("\\n");
			}
			else if (c == '\r') {
				text.append("\\r");
			}
			else if (c == '\t') {
				text.append("\\t");
			}
			else if (c < 0x20 || c == 0x7f) {
				text.append(String.format("\\x%02x", (int) c));
			}
			else {
				text.append(c);
			}
		}
		text.append(quote);
	}

}
