package io.celeriac.broker.redis;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

import io.celeriac.broker.Broker;
import io.celeriac.broker.TopicPattern;
import io.celeriac.topology.ExchangeType;
import io.celeriac.topology.Topology;

import org.springframework.data.redis.connection.RedisConnection;

/**
 * The exchanges of the Redis broker, kept in Redis as kombu keeps them: the set
 * {@code _kombu.binding.<exchange>} of {@code routing_key\x06\x16pattern\x06\x16queue},
 * the pattern being the regular expression of kombu's virtual topic exchange, so that
 * Python's bindings route alike. The topologies this process declared are remembered, so
 * that a Redis that lost its keys (restarted without persistence) gets them again: a
 * publish that finds no bindings declares them once more and routes again.
 *
 * @author Celeriac team
 */
final class RedisBindings {

	private final RedisKeys keys;

	private final Map<String, Pattern> patterns = new ConcurrentHashMap<>();

	private final Map<String, ExchangeType> exchangeTypes = new ConcurrentHashMap<>();

	private final Set<Topology> declared = ConcurrentHashMap.newKeySet();

	RedisBindings(RedisKeys keys) {
		this.keys = keys;
	}

	/**
	 * Declares a topology's bindings and queues, and remembers it.
	 * @param connection the connection
	 * @param topology the topology
	 */
	void declare(RedisConnection connection, Topology topology) {
		this.exchangeTypes.put(topology.exchange(), topology.exchangeType());
		for (Topology.QueueBinding binding : topology.bindings()) {
			connection.setCommands()
				.sAdd(this.keys.bindings(topology.exchange()),
						RedisKeys.bytes(binding.routingKey() + RedisBroker.SEPARATOR
								+ topicPattern(binding.routingKey()) + RedisBroker.SEPARATOR + binding.queue()));
			connection.setCommands().sAdd(this.keys.key(RedisKeys.QUEUES), RedisKeys.bytes(binding.queue()));
		}
		for (String queue : topology.errorQueueNames()) {
			connection.setCommands().sAdd(this.keys.key(RedisKeys.QUEUES), RedisKeys.bytes(queue));
		}
		this.declared.add(topology);
	}

	/**
	 * Returns the queues a message published to an exchange goes to, declaring the
	 * exchange's topologies again (once) if Redis lost its bindings.
	 * @param connection the connection
	 * @param exchange the exchange
	 * @param routingKey the routing key
	 * @return the queues
	 * @throws IllegalStateException if the exchange has no bindings, and this process
	 * declared none for it
	 */
	Set<String> targetsRedeclaring(RedisConnection connection, String exchange, String routingKey) {
		try {
			return targets(connection, exchange, routingKey);
		}
		catch (UndeclaredExchangeException ex) {
			List<Topology> topologies = this.declared.stream()
				.filter((topology) -> topology.exchange().equals(exchange))
				.toList();
			if (topologies.isEmpty()) {
				throw ex;
			}
			// Redis lost them (restarted without persistence, or flushed): this
			// process's declarations stand
			for (Topology topology : this.declared) {
				declare(connection, topology);
			}
			return targets(connection, exchange, routingKey);
		}
	}

	/**
	 * Returns the queues a message published to an exchange goes to.
	 * @param connection the connection
	 * @param exchange the exchange
	 * @param routingKey the routing key
	 * @return the queues
	 * @throws UndeclaredExchangeException if the exchange has no bindings in Redis
	 */
	Set<String> targets(RedisConnection connection, String exchange, String routingKey) {
		if (exchange.equals(Broker.DEFAULT_EXCHANGE)) {
			return Set.of(routingKey);
		}
		Set<byte[]> bindings = connection.setCommands().sMembers(this.keys.bindings(exchange));
		if (bindings == null || bindings.isEmpty()) {
			throw new UndeclaredExchangeException("No exchange '" + exchange + "' is declared (no " + this.keys.prefix()
					+ RedisKeys.BINDINGS + exchange + " set)");
		}
		// the type is this process's declaration, as kombu keeps it (TOPIC if it
		// declared none)
		ExchangeType type = this.exchangeTypes.getOrDefault(exchange, ExchangeType.TOPIC);
		Set<String> targets = new LinkedHashSet<>();
		for (byte[] binding : bindings) {
			String[] fields = new String(binding, StandardCharsets.UTF_8).split(RedisBroker.SEPARATOR, -1);
			if (fields.length == 3 && matches(type, fields, routingKey)) {
				targets.add(fields[2]);
			}
		}
		return targets;
	}

	private boolean matches(ExchangeType type, String[] binding, String routingKey) {
		// a topic binding is matched by the regex kombu stored with it, so that Python's
		// bindings route alike; direct and fanout as every other broker reads them
		if (type != ExchangeType.TOPIC) {
			return TopicPattern.forExchange(type, binding[0]).matches(routingKey);
		}
		if (binding[1].isEmpty()) {
			return binding[0].equals(routingKey);
		}
		return this.patterns.computeIfAbsent(binding[1], Pattern::compile).matcher(routingKey).lookingAt();
	}

	/**
	 * Returns the regular expression that kombu's virtual topic exchange stores for a
	 * binding key ({@code TopicExchange.key_to_pattern}): {@code *} is {@code .*?[^\.]},
	 * {@code #} is {@code .*?}, anything else but letters, digits and dots is escaped.
	 * @param bindingKey the binding key
	 * @return the pattern, e.g. {@code ^reports$}
	 */
	static String topicPattern(String bindingKey) {
		StringBuilder escaped = new StringBuilder();
		bindingKey.codePoints().forEach((c) -> {
			if (!(Character.isLetterOrDigit(c) || c == '.' || c == '#' || c == '*')) {
				escaped.append('\\');
			}
			escaped.appendCodePoint(c);
		});
		List<String> words = new ArrayList<>();
		for (String word : escaped.toString().split("\\.", -1)) {
			words.add(switch (word) {
				case "*" -> ".*?[^\\.]";
				case "#" -> ".*?";
				default -> word;
			});
		}
		return "^" + String.join("\\.", words) + "$";
	}

	/**
	 * An exchange with no bindings in Redis.
	 */
	static final class UndeclaredExchangeException extends IllegalStateException {

		UndeclaredExchangeException(String message) {
			super(message);
		}

	}

}
