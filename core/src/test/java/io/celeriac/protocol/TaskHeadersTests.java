package io.celeriac.protocol;

import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link TaskHeaders.Builder}: the headers of a new task and of a task sent
 * again, as Celery 5.2.6 writes them.
 *
 * @author Celeriac team
 */
class TaskHeadersTests {

	private static final Instant ETA = Instant.parse("2026-12-07T09:00:00.5Z");

	@Test
	void aNewTaskIsItsOwnRootWithoutParentRetriesOrTimeLimits() {
		TaskHeaders headers = TaskHeaders.builder("reports.render", "id-1", "gen1@client")
			.reprs("[42]", "{'fmt': 'csv'}")
			.build();
		assertThat(headers).isEqualTo(new TaskHeaders("java", "reports.render", "id-1", null, null, null, null, null, 0,
				TimeLimit.NONE, "id-1", null, "[42]", "{'fmt': 'csv'}", "gen1@client", false, Map.of()));
	}

	@Test
	void aNewTaskCarriesItsTimesLineageGroupAndExtraHeaders() {
		TaskHeaders headers = TaskHeaders.builder("reports.render", "id-2", "gen1@client")
			.eta(ETA)
			.expires(ETA.plusSeconds(60))
			.lineage("root", "parent")
			.group("group-1", 3)
			.ignoreResult(true)
			.extra(Map.of("x-tenant", "acme"))
			.build();
		assertThat(headers.eta()).isEqualTo(CeleryTime.format(ETA));
		assertThat(headers.expires()).isEqualTo(CeleryTime.format(ETA.plusSeconds(60)));
		assertThat(headers.rootId()).isEqualTo("root");
		assertThat(headers.parentId()).isEqualTo("parent");
		assertThat(headers.group()).isEqualTo("group-1");
		assertThat(headers.groupIndex()).isEqualTo(3);
		assertThat(headers.ignoreResult()).isTrue();
		assertThat(headers.extra()).containsExactly(Map.entry("x-tenant", "acme"));
	}

	@Test
	void aTaskWithoutARootGivenIsItsOwnRoot() {
		TaskHeaders headers = TaskHeaders.builder("reports.render", "id-3", "gen1@client").lineage(null, null).build();
		assertThat(headers.rootId()).isEqualTo("id-3");
		assertThat(headers.parentId()).isNull();
	}

	@Test
	void aTaskSentAgainIsItsOwnParentAndTakesTheSendersOrigin() {
		TaskHeaders first = new TaskHeaders("py", "reports.render", "id-4", "shadow", null, "2026-12-08T00:00:00",
				"group-1", 2, 1, new TimeLimit(10.0, 5.0), "root", "parent", "(42,)", "{}", "gen1@python", true,
				Map.of("x-tenant", "acme"));
		TaskHeaders again = first.again("gen2@worker").eta(ETA).retries(2).extra(Map.of("x-more", 1)).build();
		assertThat(again).isEqualTo(new TaskHeaders("py", "reports.render", "id-4", "shadow", CeleryTime.format(ETA),
				"2026-12-08T00:00:00", "group-1", 2, 2, new TimeLimit(10.0, 5.0), "root", "id-4", "(42,)", "{}",
				"gen2@worker", true, Map.of("x-tenant", "acme", "x-more", 1)));
		assertThat(again.extra()).containsExactly(Map.entry("x-tenant", "acme"), Map.entry("x-more", 1));
	}

}
