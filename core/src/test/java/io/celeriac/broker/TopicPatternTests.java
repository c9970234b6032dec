package io.celeriac.broker;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link TopicPattern}: RabbitMQ's topic matching rules.
 *
 * @author Celeriac team
 */
class TopicPatternTests {

	@Test
	void hashMatchesEverythingIncludingNothing() {
		TopicPattern all = TopicPattern.compile("#");
		assertThat(all.matches("reports")).isTrue();
		assertThat(all.matches("a.b.c")).isTrue();
		assertThat(all.matches("")).isTrue();
	}

	@Test
	void plainWordMatchesOnlyItself() {
		TopicPattern reports = TopicPattern.compile("reports");
		assertThat(reports.matches("reports")).isTrue();
		assertThat(reports.matches("exports")).isFalse();
		assertThat(reports.matches("reports.generate")).isFalse();
	}

	@Test
	void starMatchesExactlyOneWord() {
		TopicPattern pattern = TopicPattern.compile("reports.*");
		assertThat(pattern.matches("reports.generate")).isTrue();
		assertThat(pattern.matches("reports")).isFalse();
		assertThat(pattern.matches("reports.a.b")).isFalse();
	}

	@Test
	void hashInTheMiddleMatchesZeroOrMoreWords() {
		TopicPattern pattern = TopicPattern.compile("a.#.z");
		assertThat(pattern.matches("a.z")).isTrue();
		assertThat(pattern.matches("a.b.c.z")).isTrue();
		assertThat(pattern.matches("a.b.c")).isFalse();
	}

}
