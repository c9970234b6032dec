package io.celeriac.benchmarks;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.zaxxer.hikari.HikariDataSource;
import io.celeriac.monitor.TaskHistory;
import io.celeriac.monitor.jdbc.JdbcTaskHistory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Times the dashboard's pages over HTTP on a big history: fills a PostgreSQL schema of
 * its own with 1,000,000 tasks ({@link TaskHistoryData}), starts a Spring Boot web
 * application on embedded Tomcat (random port) with the Celeriac auto-configuration
 * ({@code celeriac.dashboard.enabled}, {@code celeriac.monitor.enabled}, the JDBC result
 * store on the same database, so that the task history is a {@link JdbcTaskHistory};
 * in-memory broker), then requests, with {@link HttpClient}, each page as a browser loads
 * it: the HTML, its styles and scripts, the settings, and the API calls each page makes
 * on load (the overview; a task search's first page, a page deep in the history, by name,
 * by state, by time range, by id; a task's detail; queues, workers, error queues,
 * caches). Each request runs 3 times to warm up then {@code -Druns} times (20); the
 * median and the slowest are printed as a markdown table, then the same for each page
 * loaded whole (its requests one after the other), then the overview as the page polls
 * it: the first request of the application (no timeline minute remembered), the same
 * right after, and every refresh interval (2 s) for {@code -DpollSeconds} (90).
 * PostgreSQL from BENCH_POSTGRES_URL (jdbc:postgresql://127.0.0.1:5432/postgres, user
 * postgres), in a schema of its own dropped afterwards unless {@code -Dkeep=true}.
 *
 * @author Celeriac team
 */
public final class DashboardPageTimings {

	private static final int TASKS = Integer.getInteger("tasks", 1_000_000);

	private static final double RECENT_SHARE = Double.parseDouble(System.getProperty("recentShare", "0.02"));

	private static final int WARMUPS = 3;

	private static final int RUNS = Integer.getInteger("runs", 20);

	private static final int POLL_SECONDS = Integer.getInteger("pollSeconds", 90);

	private static final Duration REFRESH = Duration.ofSeconds(2);

	private static final String PATH = "/celeriac/";

	private final HttpClient http = HttpClient.newBuilder()
		.version(HttpClient.Version.HTTP_1_1)
		.connectTimeout(Duration.ofSeconds(5))
		.build();

	private final JsonMapper json = new JsonMapper();

	private final String base;

	private DashboardPageTimings(int port) {
		this.base = "http://127.0.0.1:" + port + PATH;
	}

	public static void main(String[] args) throws Exception {
		if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
			System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
		}
		String postgresUrl = System.getenv()
			.getOrDefault("BENCH_POSTGRES_URL", "jdbc:postgresql://127.0.0.1:5432/postgres");
		String schema = System.getProperty("schema",
				"bench_dashboard_" + UUID.randomUUID().toString().replace("-", "").substring(0, 8));
		boolean keep = Boolean.getBoolean("keep");
		String schemaUrl = postgresUrl + (postgresUrl.contains("?") ? "&" : "?") + "currentSchema=" + schema;
		execute(postgresUrl, "CREATE SCHEMA IF NOT EXISTS " + schema);
		try {
			TaskHistoryData.Filled data;
			try (HikariDataSource dataSource = new HikariDataSource()) {
				dataSource.setJdbcUrl(schemaUrl);
				dataSource.setUsername("postgres");
				dataSource.setMaximumPoolSize(2);
				long start = System.nanoTime();
				data = TaskHistoryData.fill(dataSource, TASKS, RECENT_SHARE);
				System.out.printf("filled %,d tasks in %.1f s (schema %s)%n", data.tasks(),
						(System.nanoTime() - start) / 1e9, schema);
			}
			long start = System.nanoTime();
			try (ConfigurableApplicationContext context = new SpringApplicationBuilder(Application.class)
				.properties(properties(schemaUrl))
				.run()) {
				TaskHistory history = context.getBean(TaskHistory.class);
				if (!(history instanceof JdbcTaskHistory)) {
					throw new IllegalStateException("Expected the JDBC task history, got " + history);
				}
				int port = Integer.parseInt(context.getEnvironment().getRequiredProperty("local.server.port"));
				System.out.printf("application started in %.1f s on port %d, task history %s%n%n",
						(System.nanoTime() - start) / 1e9, port, history.getClass().getSimpleName());
				new DashboardPageTimings(port).run(data);
			}
		}
		finally {
			if (!keep) {
				execute(postgresUrl, "DROP SCHEMA " + schema + " CASCADE");
			}
		}
	}

	private static Map<String, Object> properties(String schemaUrl) {
		Map<String, Object> properties = new LinkedHashMap<>();
		properties.put("server.port", "0");
		properties.put("spring.main.banner-mode", "off");
		properties.put("logging.level.org.apache", "warn");
		properties.put("spring.datasource.url", schemaUrl);
		properties.put("spring.datasource.username", "postgres");
		properties.put("celeriac.dashboard.enabled", "true");
		// no Spring Security in the benchmarks: the pages are served open, on the
		// loopback
		properties.put("celeriac.dashboard.security", "none");
		properties.put("server.address", "127.0.0.1");
		properties.put("celeriac.monitor.enabled", "true");
		properties.put("celeriac.broker.type", "memory");
		properties.put("celeriac.result.type", "jdbc");
		// the fill created the tables with the same scripts
		properties.put("celeriac.result.initialize-schema", "never");
		properties.put("celeriac.monitor.initialize-schema", "never");
		return properties;
	}

	private void run(TaskHistoryData.Filled data) throws Exception {
		// the server's first requests (class loading, JIT) are not the dashboard's
		for (int i = 0; i < WARMUPS; i++) {
			get("api/settings");
			get("api/queues");
		}
		Answer firstOverview = time("api/overview");
		Answer secondOverview = time("api/overview");
		Thread.sleep(REFRESH.toMillis());
		Answer polledOverview = time("api/overview");

		Instant tenDaysAgo = data.now().minus(Duration.ofDays(10));
		String from = local(tenDaysAgo.minus(Duration.ofDays(1)));
		String to = local(tenDaysAgo);
		String deep = encode(data.deep().token());
		String commonName = data.names().get(0);
		String rareName = data.names().get(data.names().size() - 1);

		Map<String, String> requests = new LinkedHashMap<>();
		// every page
		requests.put("overview page (HTML)", "");
		requests.put("tasks page (HTML)", "tasks.html");
		requests.put("task page (HTML)", "task.html?id=" + data.someParent());
		requests.put("queues page (HTML)", "queues.html");
		requests.put("workers page (HTML)", "workers.html");
		requests.put("errors page (HTML)", "errors.html");
		requests.put("caches page (HTML)", "caches.html");
		requests.put("dashboard.css", "dashboard.css");
		requests.put("dashboard.js", "dashboard.js");
		requests.put("uPlot.min.css (overview)", "webjars/uplot/dist/uPlot.min.css");
		requests.put("uPlot.iife.min.js (overview)", "webjars/uplot/dist/uPlot.iife.min.js");
		// what the pages ask for on load
		requests.put("api/settings (every page)", "api/settings");
		requests.put("api/overview", "api/overview");
		requests.put("api/tasks: first page", "api/tasks");
		requests.put("api/tasks: page after 2/3 of the history (cursor)", "api/tasks?after=" + deep);
		requests.put("api/tasks: name " + commonName + " (50%)", "api/tasks?name=" + commonName);
		requests.put("api/tasks: name " + commonName + ", deep page",
				"api/tasks?name=" + commonName + "&after=" + deep);
		requests.put("api/tasks: name " + rareName + " (0.1%)", "api/tasks?name=" + rareName);
		requests.put("api/tasks: state FAILURE (1%)", "api/tasks?state=FAILURE");
		requests.put("api/tasks: state REVOKED (0.05%)", "api/tasks?state=REVOKED");
		requests.put("api/tasks: one day, 10 days ago", "api/tasks?from=" + from + "&to=" + to);
		requests.put("api/tasks: one day, 10 days ago, state FAILURE",
				"api/tasks?from=" + from + "&to=" + to + "&state=FAILURE");
		requests.put("api/tasks: by id", "api/tasks?id=" + data.someTask());
		requests.put("api/tasks/{id}: task with 10 children", "api/tasks/" + data.someParent());
		requests.put("api/tasks/{id}: failed task (traceback)", "api/tasks/" + data.failedTask());
		requests.put("api/queues", "api/queues");
		requests.put("api/workers", "api/workers");
		requests.put("api/error-queues", "api/error-queues");
		requests.put("api/caches", "api/caches");

		System.out.printf("Each request: %d warm-ups, %d timed runs%n%n", WARMUPS, RUNS);
		System.out.println("| request | median ms | slowest ms | answer |");
		System.out.println("|---|---:|---:|---|");
		for (Map.Entry<String, String> request : requests.entrySet()) {
			for (int i = 0; i < WARMUPS; i++) {
				get(request.getValue());
			}
			double[] millis = new double[RUNS];
			Answer last = null;
			for (int i = 0; i < RUNS; i++) {
				last = time(request.getValue());
				millis[i] = last.millis();
			}
			row(request.getKey(), millis, last.describe());
		}

		List<String> common = List.of("dashboard.css", "dashboard.js", "api/settings");
		List<String> overview = List.of("webjars/uplot/dist/uPlot.min.css", "webjars/uplot/dist/uPlot.iife.min.js");
		Map<String, List<String>> pages = new LinkedHashMap<>();
		pages.put("overview", load("", overview, common, "api/overview"));
		pages.put("tasks, first page", load("tasks.html", List.of(), common, "api/tasks"));
		pages.put("tasks, page after 2/3 of the history",
				load("tasks.html?after=" + deep, List.of(), common, "api/tasks?after=" + deep));
		pages.put("tasks, name " + commonName,
				load("tasks.html?name=" + commonName, List.of(), common, "api/tasks?name=" + commonName));
		pages.put("tasks, state FAILURE",
				load("tasks.html?state=FAILURE", List.of(), common, "api/tasks?state=FAILURE"));
		pages.put("tasks, one day 10 days ago", load("tasks.html?from=" + from + "&to=" + to, List.of(), common,
				"api/tasks?from=" + from + "&to=" + to));
		pages.put("tasks, by id",
				load("tasks.html?id=" + data.someTask(), List.of(), common, "api/tasks?id=" + data.someTask()));
		pages.put("task with 10 children",
				load("task.html?id=" + data.someParent(), List.of(), common, "api/tasks/" + data.someParent()));
		pages.put("queues", load("queues.html", List.of(), common, "api/queues"));
		pages.put("workers", load("workers.html", List.of(), common, "api/workers"));
		pages.put("error queues", load("errors.html", List.of(), common, "api/error-queues"));
		pages.put("caches", load("caches.html", List.of(), common, "api/caches"));
		System.out.printf("%nEach page loaded whole: its HTML, styles, scripts, settings and API call, one after "
				+ "the other (a browser loads the styles and scripts in parallel); %d warm-ups, %d timed runs%n%n",
				WARMUPS, RUNS);
		System.out.println("| page | requests | median ms | slowest ms |");
		System.out.println("|---|---:|---:|---:|");
		for (Map.Entry<String, List<String>> page : pages.entrySet()) {
			for (int i = 0; i < WARMUPS; i++) {
				for (String path : page.getValue()) {
					get(path);
				}
			}
			double[] millis = new double[RUNS];
			for (int i = 0; i < RUNS; i++) {
				long start = System.nanoTime();
				for (String path : page.getValue()) {
					get(path);
				}
				millis[i] = (System.nanoTime() - start) / 1e6;
			}
			Arrays.sort(millis);
			System.out.printf("| %s | %d | %.1f | %.1f |%n", page.getKey(), page.getValue().size(), median(millis),
					max(millis));
		}

		System.out.printf("%nThe overview API as the page polls it (every %d s)%n%n", REFRESH.toSeconds());
		System.out.println("| request | median ms | slowest ms | answer |");
		System.out.println("|---|---:|---:|---|");
		System.out.printf("| first request of the application (nothing remembered) | %.1f | | %s |%n",
				firstOverview.millis(), firstOverview.describe());
		System.out.printf("| the same, right after | %.1f | | %s |%n", secondOverview.millis(),
				secondOverview.describe());
		System.out.printf("| the next poll, %d s later | %.1f | | %s |%n", REFRESH.toSeconds(), polledOverview.millis(),
				polledOverview.describe());
		List<Double> polls = new ArrayList<>();
		Answer last = null;
		long end = System.nanoTime() + Duration.ofSeconds(POLL_SECONDS).toNanos();
		while (System.nanoTime() < end) {
			last = time("api/overview");
			polls.add(last.millis());
			Thread.sleep(REFRESH.toMillis());
		}
		double[] millis = polls.stream().mapToDouble(Double::doubleValue).sorted().toArray();
		row("polled every " + REFRESH.toSeconds() + " s for " + POLL_SECONDS + " s (" + millis.length + " polls)",
				millis, last.describe());
	}

	private static List<String> load(String html, List<String> extra, List<String> common, String api) {
		List<String> paths = new ArrayList<>();
		paths.add(html);
		paths.addAll(common.subList(0, 2));
		paths.addAll(extra);
		paths.addAll(common.subList(2, common.size()));
		paths.add(api);
		return paths;
	}

	private static void row(String name, double[] millis, String answer) {
		Arrays.sort(millis);
		System.out.printf("| %s | %.1f | %.1f | %s |%n", name, median(millis), max(millis), answer);
	}

	private Answer time(String path) throws Exception {
		long start = System.nanoTime();
		HttpResponse<byte[]> response = get(path);
		return new Answer(path, (System.nanoTime() - start) / 1e6, response.body());
	}

	private HttpResponse<byte[]> get(String path) throws Exception {
		boolean api = path.startsWith("api/");
		HttpRequest request = HttpRequest.newBuilder(URI.create(this.base + path))
			.header("Accept", api ? "application/json" : "text/html,*/*")
			.timeout(Duration.ofSeconds(30))
			.GET()
			.build();
		HttpResponse<byte[]> response = this.http.send(request, HttpResponse.BodyHandlers.ofByteArray());
		if (response.statusCode() != 200) {
			throw new IllegalStateException("GET " + path + " answered " + response.statusCode() + ": "
					+ new String(response.body(), StandardCharsets.UTF_8));
		}
		return response;
	}

	private static String local(Instant instant) {
		// as a browser's datetime-local input sends it
		return LocalDateTime.ofInstant(instant.truncatedTo(ChronoUnit.MINUTES), ZoneOffset.UTC).toString();
	}

	private static String encode(String text) {
		return URLEncoder.encode(text, StandardCharsets.UTF_8);
	}

	private static double median(double[] sorted) {
		int middle = sorted.length / 2;
		return (sorted.length % 2 == 1) ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
	}

	private static double max(double[] sorted) {
		return sorted[sorted.length - 1];
	}

	private static void execute(String url, String sql) throws Exception {
		try (Connection connection = DriverManager.getConnection(url, "postgres", "");
				Statement statement = connection.createStatement()) {
			statement.execute(sql);
		}
	}

	private final class Answer {

		private final String path;

		private final double millis;

		private final byte[] body;

		Answer(String path, double millis, byte[] body) {
			this.path = path;
			this.millis = millis;
			this.body = body;
		}

		double millis() {
			return this.millis;
		}

		String describe() {
			String size = String.format("%,d bytes", this.body.length);
			if (!this.path.startsWith("api/")) {
				return size;
			}
			JsonNode node = DashboardPageTimings.this.json.readTree(this.body);
			if (this.path.startsWith("api/tasks/")) {
				return size + ", " + node.path("state").asString() + ", " + node.path("children").size() + " children"
						+ (node.path("traceback").isString() ? ", traceback" : "");
			}
			if (this.path.startsWith("api/tasks")) {
				return size + ", " + node.path("tasks").size() + " tasks"
						+ (node.path("next").isString() ? ", next page" : "");
			}
			if (this.path.startsWith("api/overview")) {
				long total = 0;
				for (JsonNode count : node.path("stateCounts")) {
					total += count.asLong();
				}
				return size + ", " + total + " tasks in the last hour, " + node.path("timeline").path("minutes").size()
						+ " minutes";
			}
			return size;
		}

	}

	/**
	 * The application: nothing but Spring Boot's and Celeriac's auto-configuration.
	 */
	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class Application {

	}

}
