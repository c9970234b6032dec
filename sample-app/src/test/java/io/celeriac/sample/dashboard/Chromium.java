package io.celeriac.sample.dashboard;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import java.util.logging.Level;

import org.jspecify.annotations.Nullable;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.WebDriverWait;

import org.springframework.util.FileSystemUtils;

/**
 * Debian's headless Chromium driven through Debian's chromedriver, both found at fixed
 * paths so that Selenium Manager never looks for (or downloads) a browser or a driver.
 *
 * @author Celeriac team
 */
final class Chromium implements AutoCloseable {

	static final Path BROWSER = Path.of("/usr/bin/chromium");

	static final Path DRIVER = Path.of("/usr/bin/chromedriver");

	/**
	 * Why the browser tests are skipped on a machine without the browser.
	 */
	static final String MISSING = "Debian's chromium and chromium-driver packages are not installed "
			+ "(apt-get install chromium chromium-driver; .ci/run installs them)";

	private static final Duration TIMEOUT = Duration.ofSeconds(30);

	private static final Path SCREENSHOTS = Path.of("target", "screenshots");

	private static final Dimension WINDOW = new Dimension(1400, 1000);

	private static final int MAX_SCREENSHOT_HEIGHT = 2400;

	private final Path profile;

	private final ChromeDriver driver;

	private final String baseUrl;

	private Chromium(Path profile, ChromeDriver driver, String baseUrl) {
		this.profile = profile;
		this.driver = driver;
		this.baseUrl = baseUrl;
	}

	/**
	 * Returns whether Debian's Chromium and its driver are installed, saying why the
	 * browser tests are skipped when they are not.
	 * @return {@code true} when both can be run
	 */
	static boolean installed() {
		boolean installed = Files.isExecutable(BROWSER) && Files.isExecutable(DRIVER);
		if (!installed) {
			// Surefire's summary counts the skipped tests without saying why
			System.err.println("Skipping the dashboard's browser tests: " + MISSING);
		}
		return installed;
	}

	/**
	 * Starts a browser with a fresh profile.
	 * @param baseUrl the URL that {@link #open(String) relative paths} are resolved
	 * against, ending with a slash
	 * @return the browser
	 */
	static Chromium start(String baseUrl) {
		try {
			Path profile = Files.createTempDirectory("celeriac-chromium-");
			ChromeOptions options = new ChromeOptions();
			options.setBinary(BROWSER.toFile());
			options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
					"--disable-background-networking", "--disable-component-update", "--disable-sync",
					"--disable-dev-shm-usage", "--user-data-dir=" + profile,
					"--window-size=" + WINDOW.getWidth() + "," + WINDOW.getHeight());
			LoggingPreferences logs = new LoggingPreferences();
			logs.enable(LogType.BROWSER, Level.ALL);
			options.setCapability(ChromeOptions.LOGGING_PREFS, logs);
			ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile())
				.usingAnyFreePort()
				.withSilent(true)
				.build();
			return new Chromium(profile, new ChromeDriver(service, options), baseUrl);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	WebDriver driver() {
		return this.driver;
	}

	/**
	 * Loads a page of the dashboard and waits for its first refresh.
	 * @param path the page's path relative to the dashboard, e.g. {@code task.html?id=1}
	 */
	void open(String path) {
		this.driver.get(this.baseUrl + path);
		waitUntil("the first refresh of " + path, (driver) -> refreshedAt() != null);
	}

	/**
	 * Returns when the page last refreshed itself, as it says on {@code #page}.
	 * @return the {@code data-refreshed-at} attribute, or {@code null} before the first
	 * refresh
	 */
	@Nullable String refreshedAt() {
		List<WebElement> page = this.driver.findElements(By.id("page"));
		return page.isEmpty() ? null : page.get(0).getDomAttribute("data-refreshed-at");
	}

	/**
	 * Waits until the page has refreshed itself since the given time.
	 * @param before what {@link #refreshedAt()} said before
	 */
	void awaitRefreshAfter(@Nullable String before) {
		waitUntil("a refresh after " + before, (driver) -> {
			String now = refreshedAt();
			return now != null && !Objects.equals(now, before);
		});
	}

	String text(String cssSelector) {
		return waitUntil("the text of " + cssSelector,
				(driver) -> driver.findElement(By.cssSelector(cssSelector)).getText().strip());
	}

	List<WebElement> all(String cssSelector) {
		return this.driver.findElements(By.cssSelector(cssSelector));
	}

	/**
	 * Waits until the condition holds (is neither {@code null} nor {@code false}).
	 * @param <T> the type of the condition's value
	 * @param description what is waited for, for the message when it does not happen
	 * @param condition the condition
	 * @return the condition's value
	 */
	<T> T waitUntil(String description, Function<WebDriver, T> condition) {
		// a page's refresh may replace an element between finding and reading it
		return new WebDriverWait(this.driver, TIMEOUT)
			.withMessage(() -> description + " (on " + this.driver.getCurrentUrl() + ")")
			.ignoring(StaleElementReferenceException.class)
			.until(condition);
	}

	/**
	 * Clicks an element once it is there, finding it again if a refresh of the page
	 * replaced it before the click.
	 * @param cssSelector the element
	 */
	void click(String cssSelector) {
		waitUntil("a clickable " + cssSelector, (driver) -> {
			List<WebElement> found = all(cssSelector);
			if (found.isEmpty() || !found.get(0).isEnabled()) {
				return false;
			}
			found.get(0).click();
			return true;
		});
	}

	/**
	 * Waits until the page has at least the given number of elements.
	 * @param cssSelector the elements
	 * @param count how many
	 * @return the elements
	 */
	List<WebElement> awaitAtLeast(String cssSelector, int count) {
		return waitUntil("at least " + count + " " + cssSelector, (driver) -> {
			List<WebElement> found = all(cssSelector);
			return (found.size() >= count) ? found : null;
		});
	}

	/**
	 * Waits until the page has exactly the given number of elements.
	 * @param cssSelector the elements
	 * @param count how many
	 */
	void awaitCount(String cssSelector, int count) {
		waitUntil("exactly " + count + " " + cssSelector, (driver) -> all(cssSelector).size() == count);
	}

	/**
	 * Waits until the element's text is the expected one.
	 * @param cssSelector the element
	 * @param expected its text
	 */
	void awaitText(String cssSelector, String expected) {
		waitUntil("'" + expected + "' in " + cssSelector, (driver) -> {
			List<WebElement> found = all(cssSelector);
			return !found.isEmpty() && expected.equals(found.get(0).getText().strip());
		});
	}

	/**
	 * Sets a variable in the page's window: it is still there later only if the page was
	 * not reloaded.
	 * @param value the value to set
	 */
	void mark(String value) {
		((JavascriptExecutor) this.driver).executeScript("window.celeriacTestMark = arguments[0];", value);
	}

	@Nullable Object mark() {
		return ((JavascriptExecutor) this.driver).executeScript("return window.celeriacTestMark;");
	}

	/**
	 * Saves a screenshot of the whole page (up to {@value #MAX_SCREENSHOT_HEIGHT} pixels
	 * high) as {@code target/screenshots/<name>.png}.
	 * @param name the file's name without extension
	 * @return the file
	 */
	Path screenshot(String name) {
		Dimension window = this.driver.manage().window().getSize();
		try {
			Files.createDirectories(SCREENSHOTS);
			Path file = SCREENSHOTS.resolve(name + ".png");
			// the window's size includes what the browser draws around the page
			List<?> heights = (List<?>) ((JavascriptExecutor) this.driver).executeScript(
					"return [document.documentElement.scrollHeight, window.outerHeight - window.innerHeight];");
			int page = ((Number) heights.get(0)).intValue();
			int chrome = ((Number) heights.get(1)).intValue();
			int height = Math.min(MAX_SCREENSHOT_HEIGHT, Math.max(WINDOW.getHeight() - chrome, page));
			this.driver.manage().window().setSize(new Dimension(WINDOW.getWidth(), height + chrome));
			Files.write(file, this.driver.getScreenshotAs(OutputType.BYTES));
			return file;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		finally {
			this.driver.manage().window().setSize(window);
		}
	}

	/**
	 * Returns what the pages logged to the console since the last call.
	 * @return the console's entries
	 */
	List<LogEntry> console() {
		return this.driver.manage().logs().get(LogType.BROWSER).getAll();
	}

	@Override
	public void close() throws IOException {
		try {
			this.driver.quit();
		}
		finally {
			FileSystemUtils.deleteRecursively(this.profile);
		}
	}

}
