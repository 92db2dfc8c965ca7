package io.streamrec.scorer.http;

import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;

import static org.awaitility.Awaitility.await;

/**
 * Debian's headless Chromium driven through its chromedriver by Selenium (no Selenium Manager downloads), for the
 * dashboard's browser tests. {@link #available} says whether both are installed, so tests can skip cleanly.
 */
final class HeadlessChromium implements AutoCloseable {

    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    static final String MISSING = "Chromium not installed (apt-get install -y chromium chromium-driver): browser check skipped";

    private final ChromeDriver driver;

    private HeadlessChromium(ChromeDriver driver) {
        this.driver = driver;
    }

    static boolean available() {
        return Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
    }

    static HeadlessChromium open(String url, int width, int height) throws IOException {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--window-size=" + width + "," + height,
                "--user-data-dir=" + Files.createTempDirectory("streamrec-chromium"));
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort().build();
        HeadlessChromium browser = new HeadlessChromium(new ChromeDriver(service, options));
        browser.driver.get(url);
        return browser;
    }

    /** The value of a JavaScript expression (numbers come back as Long or Double, arrays as lists). */
    Object eval(String expression, Object... args) {
        return ((JavascriptExecutor) driver).executeScript("return (" + expression + ");", args);
    }

    String text(String expression) {
        return String.valueOf(eval(expression));
    }

    long number(String expression) {
        return ((Number) eval(expression)).longValue();
    }

    /** Waits until a JavaScript condition holds; page scripts that throw meanwhile (not loaded yet) count as false. */
    void waitFor(String condition, Duration timeout) {
        await().atMost(timeout).pollInterval(Duration.ofMillis(100)).alias(condition)
                .until(() -> Boolean.TRUE.equals(eval("(() => { try { return !!(" + condition + "); } catch (e) { return false; } })()")));
    }

    void screenshot(Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.copy(driver.getScreenshotAs(OutputType.FILE).toPath(), file, StandardCopyOption.REPLACE_EXISTING);
    }

    @Override
    public void close() {
        driver.quit();
    }
}
