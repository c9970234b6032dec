package io.celeriac.sample.dashboard;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;

import io.celeriac.result.ResultStore;
import io.celeriac.result.TaskResult;
import io.celeriac.result.TaskState;
import io.celeriac.sample.FeatureSwitch;
import io.celeriac.sample.SampleApplication;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.condition.EnabledIf;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.WindowType;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The sample's dashboard in Debian's headless Chromium: tasks are sent through the
 * sample's HTTP API (some fail), then the pages show them, and a failed task requeued
 * from the error-queue page runs again, the pages following by themselves; discarded
 * messages leave the page too. The tests run in order on one application and one browser.
 * Every page visited is saved under {@code target/screenshots}.
 *
 * @author Celeriac team
 */
@SpringBootTest(classes = SampleApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = "celeriac.dashboard.refresh-interval=1s")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@EnabledIf(value = "io.celeriac.sample.dashboard.Chromium#installed", disabledReason = Chromium.MISSING)
class DashboardBrowserTests {

	private static final ParameterizedTypeReference<Map<String, String>> JSON = new ParameterizedTypeReference<>() {
	};

	private static final ParameterizedTypeReference<Map<String, Object>> SWITCH = new ParameterizedTypeReference<>() {
	};

	private static final String ERROR_QUEUE = "dev-sample.error";

	private static final String FAILURE_MESSAGE = "Invoice 42 could not be rendered";

	@LocalServerPort
	private int port;

	@Autowired
	private ResultStore results;

	@Autowired
	private FeatureSwitch featureSwitch;

	private RestClient api;

	private Chromium browser;

	private final List<String> succeeded = new ArrayList<>();

	private final List<String> failed = new ArrayList<>();

	private String failedInvoice;

	private String report;

	private String doubles;

	@BeforeAll
	void sendTasksAndStartTheBrowser() {
		this.api = RestClient.create("http://127.0.0.1:" + this.port);
		for (int i = 1; i <= 3; i++) {
			this.succeeded.add(send("sample.add", "{\"args\": [" + i + ", " + (10 * i) + "]}"));
		}
		this.doubles = send("sample.doubles", "{\"args\": [2]}");
		this.succeeded.add(this.doubles);
		this.failedInvoice = send("sample.fail", "{\"args\": [\"" + FAILURE_MESSAGE + "\"]}");
		this.failed.add(this.failedInvoice);
		this.failed.add(send("sample.fail", "{\"args\": [\"Partner API answered 503\"]}"));
		this.report = send("sample.report", "{\"args\": [\"2026-11\"]}");
		this.failed.add(this.report);
		await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
			this.succeeded.forEach((id) -> assertThat(state(id)).as(id).isEqualTo(TaskState.SUCCESS));
			this.failed.forEach((id) -> assertThat(state(id)).as(id).isEqualTo(TaskState.FAILURE));
		});
		// the two children of sample.doubles
		List<String> children = new ArrayList<>();
		this.results.find(this.doubles).orElseThrow().value().forEach((id) -> children.add(id.asString()));
		assertThat(children).hasSize(2);
		await().atMost(Duration.ofSeconds(30))
			.untilAsserted(() -> children.forEach((id) -> assertThat(state(id)).isEqualTo(TaskState.SUCCESS)));
		this.succeeded.addAll(children);
		// a miss, then a hit, for the caches page
		for (int i = 0; i < 2; i++) {
			this.api.get().uri("/api/cache/slow-square/7").retrieve().toBodilessEntity();
		}
		this.browser = Chromium.start("http://127.0.0.1:" + this.port + "/celeriac/");
	}

	@AfterEach
	void thePagesLoggedNoErrors() {
		List<String> errors = new ArrayList<>();
		for (LogEntry entry : this.browser.console()) {
			System.out.println("[browser console] " + entry.getLevel() + " " + entry.getMessage());
			if (entry.getLevel().intValue() >= Level.SEVERE.intValue()) {
				errors.add(entry.getMessage());
			}
		}
		assertThat(errors).as("errors in the browser's console").isEmpty();
	}

	@AfterAll
	void stopTheBrowser() throws IOException {
		if (this.browser != null) {
			this.browser.close();
		}
	}

	@Test
	@Order(1)
	void theOverviewCountsTheTasksSentByState() {
		this.browser.open("index.html");
		this.browser.awaitText("#state-counts [data-state=SUCCESS]", String.valueOf(this.succeeded.size()));
		this.browser.awaitText("#state-counts [data-state=FAILURE]", String.valueOf(this.failed.size()));
		this.browser.awaitText("#error-queues tr[data-error-queue='" + ERROR_QUEUE + "'] .messages",
				String.valueOf(this.failed.size()));
		assertThat(this.browser.all("#queues tr[data-queue='dev-sample']")).hasSize(1);
		assertThat(Integer.parseInt(this.browser.text("#workers-up"))).isEqualTo(1);
		this.browser.screenshot("overview");
	}

	@Test
	@Order(2)
	void aFailedTasksPageShowsItsTraceback() {
		this.browser.open("task.html?id=" + this.failedInvoice);
		this.browser.awaitText("#task-id", this.failedInvoice);
		assertThat(this.browser.text("#task-name")).isEqualTo("sample.fail");
		assertThat(this.browser.text("#task-state")).isEqualTo("FAILURE");
		assertThat(this.browser.text("#task-args")).contains(FAILURE_MESSAGE);
		String traceback = this.browser.text("pre#task-traceback");
		assertThat(traceback).contains("java.lang.IllegalStateException: " + FAILURE_MESSAGE)
			.contains("at io.celeriac.sample.SampleTasks.fail(SampleTasks.java:");
		this.browser.screenshot("task");
	}

	@Test
	@Order(3)
	void everyPageShowsTheSamplesWork() {
		this.browser.open("tasks.html");
		this.browser.awaitAtLeast("#tasks tr[data-task-id]", this.succeeded.size() + this.failed.size());
		String failedRow = "#tasks tr[data-task-id='" + this.failedInvoice + "']";
		assertThat(this.browser.text(failedRow + " .name")).isEqualTo("sample.fail");
		assertThat(this.browser.text(failedRow + " .state")).isEqualTo("FAILURE");
		this.browser.screenshot("tasks");

		WebElement search = this.browser.driver().findElement(By.id("search"));
		search.findElement(By.name("name")).sendKeys("sample.fail");
		new Select(search.findElement(By.name("state"))).selectByValue("FAILURE");
		search.submit();
		this.browser.waitUntil("the search's results", (driver) -> driver.getCurrentUrl().contains("name=sample.fail"));
		this.browser.awaitCount("#tasks tr[data-task-id]", 2);
		List<String> names = this.browser.waitUntil("the names found",
				(driver) -> this.browser.all("#tasks tr[data-task-id] .name")
					.stream()
					.map(WebElement::getText)
					.toList());
		assertThat(names).containsOnly("sample.fail");

		this.browser.open("task.html?id=" + this.doubles);
		this.browser.awaitText("#task-state", "SUCCESS");
		this.browser.awaitCount("#task-children tr[data-task-id]", 2);
		this.browser.screenshot("task-children");

		this.browser.open("queues.html");
		this.browser.awaitCount("#queues tr[data-queue='dev-sample']", 1);
		this.browser.screenshot("queues");

		this.browser.open("workers.html");
		this.browser.awaitCount("#workers tr[data-worker]", 1);
		assertThat(this.browser.text("#workers tr[data-worker] .queues")).contains("dev-sample");
		this.browser.awaitCount("#schedules tr[data-schedule='nightly-add']", 1);
		assertThat(this.browser.text("#schedules tr[data-schedule='nightly-add'] .recurrence"))
			.isEqualTo("cron \"0 0 3 * * *\" Europe/Paris");
		assertThat(this.browser.text("#schedules tr[data-schedule='nightly-add'] .next-run")).contains("T");
		this.browser.screenshot("workers");

		this.browser.open("caches.html");
		this.browser.awaitCount("#regions tr[data-region='short_term']", 1);
		assertThat(Long.parseLong(this.browser.text("#regions tr[data-region='short_term'] .hits"))).isPositive();
		assertThat(Long.parseLong(this.browser.text("#regions tr[data-region='short_term'] .misses"))).isPositive();
		this.browser.screenshot("caches");
	}

	@Test
	@Order(4)
	void aTaskRequeuedFromTheErrorQueuePageRunsAgainAndThePagesFollowByThemselves() {
		int success = this.succeeded.size();
		int failure = this.failed.size();
		String errors = this.browser.driver().getWindowHandle();
		this.browser.open("errors.html");
		String row = "section[data-error-queue='" + ERROR_QUEUE + "'] tr[data-task-id='" + this.report + "']";
		this.browser.awaitCount("section[data-error-queue='" + ERROR_QUEUE + "'] tr[data-task-id]", failure);
		assertThat(this.browser.text(row + " .exception")).contains("IllegalStateException");
		assertThat(this.browser.text(row + " .reason")).contains("The report service is switched off");
		this.browser.screenshot("errors");
		this.browser.mark("errors page not reloaded");

		String overview = this.browser.driver().switchTo().newWindow(WindowType.TAB).getWindowHandle();
		this.browser.open("index.html");
		this.browser.awaitText("#state-counts [data-state=SUCCESS]", String.valueOf(success));
		this.browser.awaitText("#state-counts [data-state=FAILURE]", String.valueOf(failure));
		this.browser.mark("overview not reloaded");

		this.browser.driver().switchTo().window(errors);
		assertThat(this.api.post().uri("/api/switch?on=true").retrieve().body(SWITCH)).containsEntry("on", true);
		try {
			this.browser.click(row + " button[data-action=requeue]");
			this.browser.awaitCount(row, 0);
			assertThat(this.browser.all("section[data-error-queue='" + ERROR_QUEUE + "'] tr[data-task-id]"))
				.hasSize(failure - 1);
			assertThat(this.browser.mark()).isEqualTo("errors page not reloaded");
			this.browser.screenshot("errors-after-requeue");

			this.browser.driver().switchTo().window(overview);
			this.browser.awaitText("#state-counts [data-state=SUCCESS]", String.valueOf(success + 1));
			this.browser.awaitText("#state-counts [data-state=FAILURE]", String.valueOf(failure - 1));
			this.browser.awaitText("#error-queues tr[data-error-queue='" + ERROR_QUEUE + "'] .messages",
					String.valueOf(failure - 1));
			assertThat(this.browser.mark()).isEqualTo("overview not reloaded");
			this.browser.screenshot("overview-after-requeue");

			this.browser.open("task.html?id=" + this.report);
			this.browser.awaitText("#task-state", "SUCCESS");
			assertThat(this.browser.text("#task-result")).contains("Report for 2026-11");
			assertThat(state(this.report)).isEqualTo(TaskState.SUCCESS);
		}
		finally {
			this.featureSwitch.set(false);
		}
	}

	@Test
	@Order(5)
	void messagesDiscardedFromTheErrorQueuePageLeaveIt() {
		this.browser.open("errors.html");
		String section = "section[data-error-queue='" + ERROR_QUEUE + "']";
		this.browser.awaitCount(section + " tr[data-task-id]", 2);
		this.browser.mark("not reloaded");
		String other = this.failed.get(1);
		this.browser.click(section + " tr[data-task-id='" + other + "'] button[data-action=discard]");
		this.browser.awaitCount(section + " tr[data-task-id='" + other + "']", 0);
		this.browser.awaitCount(section + " tr[data-task-id]", 1);

		this.browser.click(section + " button[data-action=discard-all]");
		this.browser.waitUntil("the confirmation", ExpectedConditions.alertIsPresent()).accept();
		this.browser.awaitCount(section + " tr[data-task-id]", 0);
		assertThat(this.browser.mark()).isEqualTo("not reloaded");
	}

	private String send(String task, String body) {
		Map<String, String> sent = this.api.post()
			.uri("/api/tasks/{name}", task)
			.contentType(MediaType.APPLICATION_JSON)
			.body(body)
			.retrieve()
			.body(JSON);
		return sent.get("id");
	}

	private TaskState state(String id) {
		return this.results.find(id).map(TaskResult::state).orElse(TaskState.PENDING);
	}

}
