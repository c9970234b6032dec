package io.celeriac.broker;

import io.celeriac.topology.ExchangeType;

/**
 * Matches routing keys against AMQP topic binding patterns: words separated by dots,
 * {@code *} standing for exactly one word and {@code #} for zero or more; or, for a
 * direct or fanout exchange ({@link #forExchange}), by equality or always.
 *
 * @author Celeriac team
 */
public final class TopicPattern {

	private final String[] words;

	private final ExchangeType type;

	private final String pattern;

	private TopicPattern(ExchangeType type, String pattern) {
		this.words = pattern.isEmpty() ? new String[0] : pattern.split("\\.", -1);
		this.type = type;
		this.pattern = pattern;
	}

	/**
	 * Compiles a binding key as an exchange of the given type reads it.
	 * @param type the exchange type
	 * @param bindingKey the binding key
	 * @return the pattern
	 */
	public static TopicPattern forExchange(ExchangeType type, String bindingKey) {
		return new TopicPattern(type, bindingKey);
	}

	/**
	 * Compiles a binding pattern.
	 * @param pattern the pattern, e.g. {@code reports.*} or {@code #}
	 * @return the pattern
	 */
	public static TopicPattern compile(String pattern) {
		return new TopicPattern(ExchangeType.TOPIC, pattern);
	}

	/**
	 * Tells whether a routing key matches.
	 * @param routingKey the routing key
	 * @return {@code true} if it matches
	 */
	public boolean matches(String routingKey) {
		if (this.type == ExchangeType.FANOUT) {
			return true;
		}
		if (this.type == ExchangeType.DIRECT) {
			return this.pattern.equals(routingKey);
		}
		String[] key = routingKey.isEmpty() ? new String[0] : routingKey.split("\\.", -1);
		return matches(0, key, 0);
	}

	private boolean matches(int p, String[] key, int k) {
		if (p == this.words.length) {
			return k == key.length;
		}
		String word = this.words[p];
		if (word.equals("#")) {
			for (int skip = k; skip <= key.length; skip++) {
				if (matches(p + 1, key, skip)) {
					return true;
				}
			}
			return false;
		}
		if (k == key.length) {
			return false;
		}
		return (word.equals("*") || word.equals(key[k])) && matches(p + 1, key, k + 1);
	}

}
