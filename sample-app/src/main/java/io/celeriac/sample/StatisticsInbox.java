package io.celeriac.sample;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import io.celeriac.processing.OperationCallback;
import io.celeriac.processing.QuarantineConsumer;
import io.celeriac.processing.QuarantinedOperation;
import io.celeriac.sample.TextStatistics.Statistics;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

import org.springframework.stereotype.Component;

/**
 * Where delegated statistics arrive: the callback of {@code text-statistics} puts the
 * result in the inbox of every requester who asked while it was computed, and the
 * quarantine consumer puts a failure there instead. A real application would send an
 * email or a webhook; the sample keeps them for {@code GET /api/statistics/inbox/...}.
 *
 * @author Celeriac team
 */
@Component
class StatisticsInbox implements QuarantineConsumer {

	private static final Logger logger = LoggerFactory.getLogger(StatisticsInbox.class);

	private final Map<String, List<Delivery>> inboxes = new ConcurrentHashMap<>();

	@OperationCallback(TextStatistics.OPERATION)
	void computed(Statistics statistics, List<Requester> requesters) {
		logger.info("Statistics of {} computed for {}", statistics.uri(), requesters);
		for (Requester requester : requesters) {
			inbox(requester.name()).add(new Delivery(requester.document(), statistics, null));
		}
	}

	@Override
	public void consume(QuarantinedOperation request) {
		logger.warn("Statistics of {} quarantined: {} {}", request.uri(), request.exception().type(), request.kwargs());
		for (JsonNode requester : request.callbackArgs()) {
			inbox(requester.get("name").asString())
				.add(new Delivery(requester.get("document").asString(), null, String.valueOf(request.kwargs())));
		}
	}

	List<Delivery> deliveries(String requester) {
		return List.copyOf(inbox(requester));
	}

	private List<Delivery> inbox(String requester) {
		return this.inboxes.computeIfAbsent(requester, (name) -> new CopyOnWriteArrayList<>());
	}

	/**
	 * Who asked, for which document: the callback arguments of a request.
	 *
	 * @param name the requester
	 * @param document the document name as asked for
	 */
	record Requester(String name, String document) {

	}

	/**
	 * What a requester received.
	 *
	 * @param document the document name as asked for
	 * @param statistics the statistics, or {@code null} if the request was quarantined
	 * @param failure why it was quarantined, or {@code null}
	 */
	record Delivery(String document, @Nullable Statistics statistics, @Nullable String failure) {

	}

}
