package io.celeriac.sample;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import io.celeriac.processing.Operation;
import io.celeriac.processing.OperationContext;

import org.springframework.stereotype.Component;

/**
 * The {@code text-statistics} operation: fetches a document over HTTP (the sample serves
 * its own at {@code /documents/...}) and counts its lines, words and characters. A
 * redirect answers that the document is another URI's (so {@code /documents/latest} and
 * the document it points at are processed once); a missing document is quarantined; a
 * server error is retried twice, 2 s apart, then quarantined.
 *
 * @author Celeriac team
 */
@Component
class TextStatistics {

	static final String OPERATION = "text-statistics";

	private final HttpClient http = HttpClient.newBuilder()
		.followRedirects(HttpClient.Redirect.NEVER)
		.connectTimeout(Duration.ofSeconds(5))
		.build();

	@Operation(OPERATION)
	Statistics measure(String uri, OperationContext context, Map<String, Object> kwargs)
			throws IOException, InterruptedException {
		HttpResponse<String> response = this.http.send(
				HttpRequest.newBuilder(URI.create(uri)).timeout(Duration.ofSeconds(10)).GET().build(),
				HttpResponse.BodyHandlers.ofString());
		int status = response.statusCode();
		if (status >= 300 && status < 400 && response.headers().firstValue("Location").isPresent()) {
			throw context.redirect(URI.create(uri).resolve(response.headers().firstValue("Location").get()).toString());
		}
		if (status >= 500) {
			int attempt = ((Number) kwargs.getOrDefault("attempt", 1)).intValue();
			if (attempt < 3) {
				throw context.retry(Duration.ofSeconds(2), Map.of("attempt", attempt + 1));
			}
			throw context.quarantine(Map.of("status", status, "attempt", attempt));
		}
		if (status != 200) {
			throw context.quarantine(Map.of("status", status));
		}
		return Statistics.of(uri, response.body());
	}

	/**
	 * What the operation computes for a document.
	 *
	 * @param uri the document
	 * @param lines the number of lines
	 * @param words the number of words
	 * @param characters the number of characters
	 * @param topWords the five most frequent words of four letters or more, most frequent
	 * first
	 */
	record Statistics(String uri, long lines, long words, long characters, List<String> topWords) {

		static Statistics of(String uri, String text) {
			List<String> words = Arrays.stream(text.split("[^\\p{L}\\p{N}'-]+"))
				.filter((word) -> !word.isEmpty())
				.map((word) -> word.toLowerCase(Locale.ROOT))
				.toList();
			Map<String, Long> counts = words.stream()
				.filter((word) -> word.length() >= 4)
				.collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
			List<String> top = counts.entrySet()
				.stream()
				.sorted(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder())
					.thenComparing(Map.Entry.comparingByKey()))
				.limit(5)
				.map(Map.Entry::getKey)
				.toList();
			return new Statistics(uri, text.lines().count(), words.size(), text.length(), top);
		}

	}

}
