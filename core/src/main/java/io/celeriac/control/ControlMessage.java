package io.celeriac.control;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

/**
 * A remote control command as kombu's pidbox sends it: {@code {method, arguments,
 * destination, pattern, matcher}}, with {@code reply_to} and {@code ticket} when the
 * sender collects replies.
 *
 * @param method the command, e.g. {@code ping}
 * @param arguments its keyword arguments
 * @param destination the workers it is for, or {@code null} for every worker
 * @param pattern a pattern the worker's name must match, with {@code matcher}
 * @param matcher {@code glob} (the default) or {@code pcre}
 * @param replyTo where replies go, or {@code null} when none is expected
 * @param ticket the id that replies carry, or {@code null} when none is expected
 * @author Celeriac team
 */
public record ControlMessage(String method, Map<String, @Nullable Object> arguments, @Nullable List<String> destination,
		@Nullable String pattern, @Nullable String matcher, @Nullable ReplyTo replyTo, @Nullable String ticket) {

	public ControlMessage {
		arguments = new LinkedHashMap<>(arguments);
		destination = (destination != null) ? List.copyOf(destination) : null;
	}

	/**
	 * Creates a command without reply.
	 * @param method the command
	 * @param arguments its keyword arguments
	 * @param destination the workers it is for, or {@code null} (or empty) for every
	 * worker
	 * @return the command
	 */
	public static ControlMessage of(String method, Map<String, ?> arguments, @Nullable List<String> destination) {
		return new ControlMessage(method, new LinkedHashMap<>(arguments),
				(destination == null || destination.isEmpty()) ? null : destination, null, null, null, null);
	}

	/**
	 * Returns this command asking for replies.
	 * @param replyTo where replies go
	 * @param ticket the id replies carry
	 * @return the command
	 */
	public ControlMessage withReply(ReplyTo replyTo, String ticket) {
		return new ControlMessage(this.method, this.arguments, this.destination, this.pattern, this.matcher, replyTo,
				ticket);
	}

	/**
	 * Tells whether a worker takes this command, as kombu's {@code Node.handle_message}
	 * decides: named in the destination, else matching the pattern, else every worker.
	 * @param hostname the worker's name
	 * @return {@code true} if it is for that worker
	 */
	public boolean isFor(String hostname) {
		if (this.destination != null && !this.destination.isEmpty()) {
			return this.destination.contains(hostname);
		}
		if (this.pattern != null && this.matcher != null) {
			if ("pcre".equals(this.matcher)) {
				return Pattern.compile(this.pattern).matcher(hostname).lookingAt();
			}
			return glob(this.pattern).matcher(hostname).matches();
		}
		return true;
	}

	/**
	 * Returns the message as kombu writes it, for a JSON body.
	 * @return the fields
	 */
	public Map<String, @Nullable Object> toMap() {
		Map<String, @Nullable Object> body = new LinkedHashMap<>();
		body.put("method", this.method);
		body.put("arguments", this.arguments);
		body.put("destination", this.destination);
		body.put("pattern", this.pattern);
		body.put("matcher", this.matcher);
		if (this.replyTo != null && this.ticket != null) {
			body.put("ticket", this.ticket);
			body.put("reply_to", Map.of("exchange", this.replyTo.exchange(), "routing_key", this.replyTo.routingKey()));
		}
		return body;
	}

	/**
	 * Reads a message from its JSON fields.
	 * @param body the fields
	 * @return the message
	 * @throws IllegalArgumentException if it has no {@code method}
	 */
	@SuppressWarnings("unchecked")
	public static ControlMessage fromMap(Map<String, ?> body) {
		if (!(body.get("method") instanceof String method)) {
			throw new IllegalArgumentException("A control message needs a 'method' string, not " + body.get("method"));
		}
		Map<String, @Nullable Object> arguments = (body.get("arguments") instanceof Map<?, ?> map)
				? (Map<String, @Nullable Object>) map : Map.of();
		Object destination = body.get("destination");
		List<String> destinations = null;
		if (destination instanceof List<?> list) {
			destinations = list.stream().map(String::valueOf).toList();
		}
		else if (destination instanceof String one) {
			destinations = List.of(one);
		}
		ReplyTo replyTo = null;
		if (body.get("reply_to") instanceof Map<?, ?> reply && reply.get("exchange") != null
				&& reply.get("routing_key") != null) {
			replyTo = new ReplyTo(String.valueOf(reply.get("exchange")), String.valueOf(reply.get("routing_key")));
		}
		Object ticket = body.get("ticket");
		return new ControlMessage(method, arguments, destinations, text(body.get("pattern")), text(body.get("matcher")),
				replyTo, (ticket != null) ? ticket.toString() : null);
	}

	private static @Nullable String text(@Nullable Object value) {
		return (value != null) ? value.toString() : null;
	}

	private static Pattern glob(String glob) {
		StringBuilder regex = new StringBuilder();
		for (char c : glob.toCharArray()) {
			switch (c) {
				case '*' -> regex.append(".*");
				case '?' -> regex.append('.');
				default -> regex.append(Pattern.quote(String.valueOf(c)));
			}
		}
		return Pattern.compile(regex.toString(), Pattern.DOTALL);
	}

	/**
	 * Where a worker sends its reply: kombu's {@code reply_to}.
	 *
	 * @param exchange the reply exchange, e.g. {@code reply.celery.pidbox}
	 * @param routingKey the routing key of the sender's reply queue
	 */
	public record ReplyTo(String exchange, String routingKey) {

	}

}
