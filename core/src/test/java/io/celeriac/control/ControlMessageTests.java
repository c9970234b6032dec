package io.celeriac.control;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * {@link ControlMessage}: kombu's pidbox message read and written, and the worker
 * selection of kombu's {@code Node.handle_message}.
 *
 * @author Celeriac team
 */
class ControlMessageTests {

	@Test
	void readsWhatKombuSends() {
		// celery inspect active -d celery@a, as kombu 5.2 publishes it
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("method", "active");
		body.put("arguments", Map.of("safe", true));
		body.put("destination", List.of("celery@a"));
		body.put("pattern", null);
		body.put("matcher", null);
		body.put("ticket", "5a0ff8d2-7a0c-4f0e-9a59-1b8f1b6f6c10");
		body.put("reply_to", Map.of("exchange", "reply.celery.pidbox", "routing_key", "0f4b3c7e"));
		ControlMessage message = ControlMessage.fromMap(body);
		assertThat(message.method()).isEqualTo("active");
		assertThat(message.arguments()).containsEntry("safe", true);
		assertThat(message.destination()).containsExactly("celery@a");
		assertThat(message.ticket()).isEqualTo("5a0ff8d2-7a0c-4f0e-9a59-1b8f1b6f6c10");
		assertThat(message.replyTo()).isEqualTo(new ControlMessage.ReplyTo("reply.celery.pidbox", "0f4b3c7e"));
		assertThat(message.toMap()).isEqualTo(body);
	}

	@Test
	void aCastHasNoTicketNorReplyTo() {
		ControlMessage revoke = ControlMessage.of("revoke", Map.of("task_id", "x"), null);
		assertThat(revoke.toMap()).containsOnlyKeys("method", "arguments", "destination", "pattern", "matcher");
		assertThat(revoke.replyTo()).isNull();
	}

	@Test
	void aWorkerTakesWhatNamesItMatchesItsPatternOrNamesNobody() {
		assertThat(ControlMessage.of("ping", Map.of(), null).isFor("celery@a")).isTrue();
		assertThat(ControlMessage.of("ping", Map.of(), List.of("celery@a", "celery@b")).isFor("celery@b")).isTrue();
		assertThat(ControlMessage.of("ping", Map.of(), List.of("celery@a")).isFor("celery@b")).isFalse();
		assertThat(withPattern("celery@*", "glob").isFor("celery@host-1")).isTrue();
		assertThat(withPattern("celeriac@*", "glob").isFor("celery@host-1")).isFalse();
		assertThat(withPattern("celery@h.st", "glob").isFor("celery@host")).isFalse();
		// re.match: anchored at the start only
		assertThat(withPattern("celery@h.st", "pcre").isFor("celery@host-1")).isTrue();
		assertThat(withPattern("h.st", "pcre").isFor("celery@host")).isFalse();
	}

	@Test
	void aMessageWithoutMethodIsRefused() {
		assertThatIllegalArgumentException().isThrownBy(() -> ControlMessage.fromMap(Map.of("arguments", Map.of())))
			.withMessageContaining("'method'");
	}

	private static ControlMessage withPattern(String pattern, String matcher) {
		return new ControlMessage("ping", Map.of(), null, pattern, matcher, null, null);
	}

}
