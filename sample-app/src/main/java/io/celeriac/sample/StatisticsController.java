package io.celeriac.sample;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.celeriac.processing.CachedOperations;
import io.celeriac.processing.OperationKey;
import io.celeriac.processing.OperationOutcome;
import io.celeriac.processing.OperationRequest;
import io.celeriac.processing.ProcessingOutcome;
import io.celeriac.sample.StatisticsInbox.Requester;
import org.jspecify.annotations.Nullable;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

/**
 * Statistics of the sample's own documents through cached operations: a hit answers at
 * once (200 with the statistics), a miss is delegated to the worker (202 with the
 * processing id) and the statistics arrive in the requester's inbox when the callback
 * runs. The bulk endpoint answers the hits and delegates the rest in one call.
 *
 * @author Celeriac team
 */
@RestController
@RequestMapping("/api/statistics")
class StatisticsController {

	private final CachedOperations operations;

	private final StatisticsInbox inbox;

	StatisticsController(CachedOperations operations, StatisticsInbox inbox) {
		this.operations = operations;
		this.inbox = inbox;
	}

	@GetMapping
	ResponseEntity<Map<String, @Nullable Object>> statistics(@RequestParam String document,
			@RequestParam String requester) {
		OperationOutcome outcome = this.operations.getOrDelegate(TextStatistics.OPERATION, uri(document),
				new Requester(requester, document));
		Map<String, @Nullable Object> body = new LinkedHashMap<>();
		if (outcome.isHit()) {
			body.put("statistics", outcome.result());
			return ResponseEntity.ok(body);
		}
		body.put("processingId", outcome.processingId());
		return ResponseEntity.accepted().body(body);
	}

	@PostMapping("/bulk")
	Map<String, Object> bulk(@RequestBody BulkRequest request) {
		List<OperationRequest> requests = request.documents()
			.stream()
			.map((document) -> new OperationRequest(TextStatistics.OPERATION, uri(document),
					new Requester(request.requester(), document)))
			.toList();
		Map<String, Object> hits = new LinkedHashMap<>();
		Map<OperationKey, String> delegated = this.operations.bulkGetOrDelegate(requests,
				(found) -> found.forEach((key, hit) -> hits.put(key.uri(), hit.result())));
		Map<String, String> processing = new LinkedHashMap<>();
		delegated.forEach((key, id) -> processing.put(key.uri(), id));
		return Map.of("hits", hits, "delegated", processing);
	}

	@GetMapping("/processing/{id}")
	Map<String, Object> awaitProcessing(@PathVariable String id, @RequestParam(defaultValue = "10") long seconds) {
		ProcessingOutcome outcome = this.operations.awaitCallback(id, Duration.ofSeconds(seconds));
		return Map.of("id", id, "outcome", outcome);
	}

	@GetMapping("/inbox/{requester}")
	List<StatisticsInbox.Delivery> inbox(@PathVariable String requester) {
		return this.inbox.deliveries(requester);
	}

	private static String uri(String document) {
		return ServletUriComponentsBuilder.fromCurrentContextPath().path("/documents/" + document).toUriString();
	}

	/**
	 * Statistics of several documents for one requester.
	 *
	 * @param requester who asks
	 * @param documents the document names
	 */
	record BulkRequest(String requester, List<String> documents) {

	}

}
