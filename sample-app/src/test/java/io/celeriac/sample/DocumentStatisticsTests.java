package io.celeriac.sample;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sample's statistics of its own documents, on the in-memory default: a miss is
 * delegated and arrives in the requester's inbox, the next request is a hit; the bulk
 * endpoint answers the hits and delegates the rest; {@code latest} redirects to the
 * release notes, processed once for both; a missing document is quarantined.
 *
 * @author Celeriac team
 */
class DocumentStatisticsTests {

	private static final ParameterizedTypeReference<Map<String, Object>> JSON = new ParameterizedTypeReference<>() {
	};

	private static final ParameterizedTypeReference<List<Map<String, Object>>> LIST = new ParameterizedTypeReference<>() {
	};

	@Test
	void statisticsOfTheSamplesOwnDocumentsAreComputedOnceAndDeliveredToEveryRequester() {
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(SampleApplication.class)
			.run("--server.port=0")) {
			RestClient client = RestClient
				.create("http://localhost:" + context.getEnvironment().getProperty("local.server.port"));
			String text = client.get().uri("/documents/celery.txt").retrieve().body(String.class);
			ResponseEntity<Map<String, Object>> miss = client.get()
				.uri("/api/statistics?document=celery.txt&requester=alice")
				.retrieve()
				.toEntity(JSON);
			assertThat(miss.getStatusCode()).isEqualTo(HttpStatus.ACCEPTED);
			assertThat(awaitOutcome(client, (String) miss.getBody().get("processingId"))).isEqualTo("CALLED_BACK");
			List<Map<String, Object>> alice = client.get().uri("/api/statistics/inbox/alice").retrieve().body(LIST);
			assertThat(alice).singleElement().satisfies((delivery) -> {
				Map<String, Object> statistics = (Map<String, Object>) delivery.get("statistics");
				assertThat(statistics.get("lines")).isEqualTo((int) text.lines().count());
				assertThat(statistics.get("characters")).isEqualTo(text.length());
				assertThat((List<String>) statistics.get("topWords")).contains("system", "task", "while");
			});
			ResponseEntity<Map<String, Object>> hit = client.get()
				.uri("/api/statistics?document=celery.txt&requester=carol")
				.retrieve()
				.toEntity(JSON);
			assertThat(hit.getStatusCode()).isEqualTo(HttpStatus.OK);
			assertThat((Map<String, Object>) hit.getBody().get("statistics")).containsEntry("lines",
					(int) text.lines().count());
			Map<String, Object> bulk = client.post()
				.uri("/api/statistics/bulk")
				.contentType(MediaType.APPLICATION_JSON)
				.body(Map.of("requester", "bob", "documents",
						List.of("celery.txt", "latest", "release-notes-0.1.txt", "missing.txt")))
				.retrieve()
				.body(JSON);
			Map<String, Object> hits = (Map<String, Object>) bulk.get("hits");
			Map<String, String> delegated = (Map<String, String>) bulk.get("delegated");
			assertThat(hits).hasSize(1)
				.hasEntrySatisfying(hits.keySet().iterator().next(),
						(statistics) -> assertThat((Map<String, Object>) statistics).containsEntry("lines",
								(int) text.lines().count()));
			assertThat(delegated).hasSize(3);
			for (String id : delegated.values()) {
				awaitOutcome(client, id);
			}
			List<Map<String, Object>> bob = client.get().uri("/api/statistics/inbox/bob").retrieve().body(LIST);
			assertThat(bob).extracting((delivery) -> delivery.get("document"))
				.containsExactlyInAnyOrder("latest", "release-notes-0.1.txt", "missing.txt");
			assertThat(bob).filteredOn((delivery) -> !"missing.txt".equals(delivery.get("document")))
				.allSatisfy((delivery) -> assertThat(((Map<String, Object>) delivery.get("statistics")).get("uri"))
					.asString()
					.endsWith("/documents/release-notes-0.1.txt"));
			assertThat(bob).filteredOn((delivery) -> "missing.txt".equals(delivery.get("document")))
				.singleElement()
				.satisfies((delivery) -> assertThat(delivery.get("failure")).asString().contains("status=404"));
			ResponseEntity<Map<String, Object>> latest = client.get()
				.uri("/api/statistics?document=latest&requester=dave")
				.retrieve()
				.toEntity(JSON);
			assertThat(latest.getStatusCode()).isEqualTo(HttpStatus.OK);
		}
	}

	private static String awaitOutcome(RestClient client, String id) {
		Map<String, Object> outcome = client.get()
			.uri("/api/statistics/processing/{id}?seconds=30", id)
			.retrieve()
			.body(JSON);
		return (String) outcome.get("outcome");
	}

}
