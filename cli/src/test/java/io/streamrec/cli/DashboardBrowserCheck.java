package io.streamrec.cli;

import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Drives the live dashboard in real headless Chromium (Debian's chromium + chromedriver; .ci/run installs them):
 * the RMSE chart has points, the user box shows recommendations with titles, and a screenshot is saved.
 * Skips with a clear message where Chromium is not installed.
 */
final class DashboardBrowserCheck {

    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    private DashboardBrowserCheck() {
    }

    static void run(String url, long user, boolean realTitles, Path screenshot) throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "browser check skipped: install Debian's chromium and chromium-driver (apt-get install chromium chromium-driver)");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--window-size=1400,1000",
                "--user-data-dir=" + Files.createTempDirectory("streamrec-chromium"));
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort().build();
        ChromeDriver driver = new ChromeDriver(service, options);
        try {
            driver.get(url);
            WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(60));
            JavascriptExecutor js = driver;
            // The RMSE chart is fed from the metrics history and live SSE updates.
            String points = "const c = window.Chart && Chart.getChart(document.getElementById('rmseChart'));"
                    + " return c ? c.data.datasets.reduce((n, s) => n + s.data.length, 0) : -1;";
            try {
                wait.until(d -> ((Number) js.executeScript(points)).longValue() > 0);
            } catch (org.openqa.selenium.TimeoutException e) {
                throw new AssertionError("the RMSE chart got no points: " + js.executeScript(points) + "; page says: "
                        + driver.findElement(By.tagName("body")).getText().lines().limit(12).toList(), e);
            }

            WebElement input = driver.findElement(By.id("userId"));
            input.clear();
            input.sendKeys(Long.toString(user));
            driver.findElement(By.cssSelector("#userForm button")).click();
            wait.until(d -> !d.findElements(By.cssSelector("#userRecs li .title")).isEmpty());
            List<String> titles = driver.findElements(By.cssSelector("#userRecs li .title")).stream().map(WebElement::getText).toList();
            assertThat(titles).isNotEmpty().allSatisfy(t -> assertThat(t).isNotBlank());
            if (realTitles) {
                // MovieLens titles carry a name, not our "item N" fallback
                assertThat(titles).anySatisfy(t -> assertThat(t).doesNotStartWith("item "));
            }
            wait.until(d -> !d.findElements(By.cssSelector("#biasTop li")).isEmpty());

            File shot = driver.getScreenshotAs(OutputType.FILE);
            Files.createDirectories(screenshot.getParent());
            Files.copy(shot.toPath(), screenshot, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            driver.quit();
        }
    }
}
