package dev.taskq.examples.orders;

import static dev.taskq.examples.orders.ShopClient.count;
import static dev.taskq.examples.orders.ShopClient.text;
import static dev.taskq.examples.orders.ShopClient.until;
import static dev.taskq.examples.orders.ShopClient.update;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.net.URL;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.Alert;
import org.openqa.selenium.By;
import org.openqa.selenium.ElementNotInteractableException;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * TaskQ's admin page in a real browser (Debian's headless Chromium) against the shop: a person sees the order
 * the warehouse could not serve, restocks, retries the task from the page and sees it succeed; retries all the
 * failed tasks one filter matches and deletes all another matches, each count the page reports checked against
 * the database. Screenshots of the page are kept in target/screenshots.
 */
@RunAsClient
@ExtendWith(ArquillianExtension.class)
class AdminPageIT {

    @Deployment(testable = false)
    static WebArchive shop() {
        return ShrinkWrap.createFromZipFile(WebArchive.class, new File(System.getProperty("shop.war")));
    }

    @ArquillianResource
    URL base;

    private ShopClient shop;
    private WebDriver browser;
    private WebDriverWait wait;

    @BeforeEach
    void openBrowser() throws Exception {
        shop = new ShopClient(base);
        for (String binary : new String[] {"chromium.binary", "webdriver.chrome.driver"}) {
            if (!Files.isExecutable(Path.of(System.getProperty(binary)))) {
                throw new IllegalStateException("The admin page's browser test needs Chromium and its driver: "
                        + System.getProperty(binary) + " is missing. Install them (apt-get install chromium "
                        + "chromium-driver) or point -D" + binary + " at them.");
            }
        }
        ChromeOptions options = new ChromeOptions().setBinary(System.getProperty("chromium.binary"))
                .addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                        "--disable-background-networking", "--disable-extensions", "--no-first-run",
                        "--window-size=1440,1000");
        browser = new ChromeDriver(new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(System.getProperty("webdriver.chrome.driver"))).build(), options);
        wait = new WebDriverWait(browser, Duration.ofSeconds(60));
        wait.ignoring(StaleElementReferenceException.class).ignoring(ElementNotInteractableException.class);
    }

    @AfterEach
    void closeBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    @Test
    void aPersonRetriesAFailedTaskAfterRestockingAndSeesItSucceed() throws Exception {
        String item = "piano-" + UUID.randomUUID().toString().substring(0, 8);
        shop.restock(item, 1);
        long order = shop.placedOrder("cy@example.com", item, 3);
        long task = Long.parseLong(until("reserve-stock failed for good", () -> text("select id from taskq_task "
                + "where name = 'reserve-stock' and state = 'FAILED' and args ->> 'orderId' = ?",
                String.valueOf(order))));

        signIn("#failed");
        filter("args", String.valueOf(order)); // the order's id, in the task's arguments
        filter("error", "order " + order + " wants");
        String row = textOf(row(task));
        assertTrue(row.contains("Only 1 of " + item + " in stock"), row);
        assertTrue(row.contains(" ago"), "its time, and how long ago: " + row);
        screenshot("failed-tasks");

        click(row(task));
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("detail")));
        assertTrue(textOf(By.id("detail-args")).contains("\"orderId\": " + order), textOf(By.id("detail-args")));
        assertTrue(textOf(By.id("detail-error")).contains("IllegalStateException"), textOf(By.id("detail-error")));
        int attempts = Integer.parseInt(text("select max_attempts from taskq_task where id = ?", task));
        wait.until(browser -> browser.findElements(By.cssSelector("#detail-history tbody tr")).size() == attempts);
        assertTrue(textOf(By.cssSelector("#detail-history tbody tr:last-child")).contains("failed"));
        screenshot("failed-task");

        shop.restock(item, 5);
        click(By.cssSelector("#detail button[data-action=retry]"));
        wait.until(ExpectedConditions.textToBe(By.id("notice"), "Task " + task + " is pending again"));
        wait.until(browser -> fieldOf("State").equals("SUCCEEDED")); // the page refreshes itself every 5 s
        wait.until(browser -> browser.findElements(By.cssSelector("#detail-history tbody tr")).size() == attempts + 1);
        assertTrue(textOf(By.cssSelector("#detail-history tbody tr:last-child")).contains("succeeded"),
                "the retried task's whole story ends in its success");
        assertEquals("SUCCEEDED", text("select state from taskq_task where id = ?", task));
        assertEquals("2", text("select quantity from shop_stock where item = ?", item));
        assertTrue(textOf(By.id("detail-result")).contains("\"left\": 2"), textOf(By.id("detail-result")));

        click(By.id("close-detail"));
        click(By.cssSelector("button.card[data-group=SUCCEEDED]"));
        filter("queue", "default");
        filter("name", "reserve-stock");
        wait.until(ExpectedConditions.visibilityOfElementLocated(row(task)));
        screenshot("succeeded-tasks");
    }

    @Test
    void aPersonRetriesAndDeletesAllTheFailedTasksAFilterMatches() throws Exception {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String drum = "drum-" + suffix; // three orders, their tasks retried after restocking
        String bell = "bell-" + suffix; // two orders, their tasks deleted
        String gong = "gong-" + suffix; // one order, its task left alone
        try {
            List<Long> drumOrders = placeOrders(drum, 3);
            List<Long> bellOrders = placeOrders(bell, 2);
            long gongTask = task(placeOrders(gong, 1).get(0), "reserve-stock");
            until("the six orders' reserve-stock failed for good", () -> count(FAILED_FOR + "?", "%" + suffix + "%")
                    == 6 ? true : null);

            signIn("#failed");
            filter("error", drum);
            wait.until(ExpectedConditions.textToBe(By.id("page"), "1–3 of 3"));
            screenshot("bulk-filtered");
            shop.restock(drum, 3);
            long matching = count(FAILED_FOR + "?", "%" + drum + "%");
            assertEquals(3, matching);
            click(By.id("retry-all"));
            assertEquals("Retry 3 failed tasks whose error contains \"" + drum + "\"?", acceptConfirm());
            wait.until(ExpectedConditions.textToBe(By.id("notice"), "Retried " + matching + " failed tasks"));
            assertEquals(0, count(FAILED_FOR + "?", "%" + drum + "%"), "the drum orders' tasks left FAILED");
            assertEquals(3, count(RESERVING + " and max_attempts = 4", drumOrders.stream().map(String::valueOf)
                    .toArray(String[]::new)), "each retried task got one more attempt");
            until("the retried tasks succeeded", () -> count(RESERVING + " and state = 'SUCCEEDED'", drumOrders
                    .stream().map(String::valueOf).toArray(String[]::new)) == 3 ? true : null);
            assertEquals("0", text("select quantity from shop_stock where item = ?", drum));
            assertEquals(3, count(FAILED_FOR + "?", "%" + suffix + "%"), "the bell and gong tasks are still FAILED");
            screenshot("bulk-retried");

            // The error is typed and not applied: the button acts on what the form shows.
            filter("name", "reserve-stock");
            WebElement error = browser.findElement(By.cssSelector("#filter input[name=error]"));
            error.clear();
            error.sendKeys(bell);
            long toDelete = count(FAILED_FOR + "?", "%" + bell + "%");
            assertEquals(2, toDelete);
            click(By.id("delete-all"));
            assertEquals("Delete 2 failed tasks named reserve-stock whose error contains \"" + bell + "\"?",
                    acceptConfirm());
            wait.until(ExpectedConditions.textToBe(By.id("notice"), "Deleted " + toDelete + " failed tasks"));
            assertEquals(0, count(FAILED_FOR + "?", "%" + bell + "%"));
            assertEquals(2, count("select count(*) from taskq_task where name = 'send-confirmation' and state = "
                    + "'SUCCEEDED' and args ->> 'orderId' in (?, ?)", bellOrders.stream().map(String::valueOf)
                    .toArray(String[]::new)), "the orders' other tasks stay");
            assertEquals("FAILED", text("select state from taskq_task where id = ?", gongTask));
            assertEquals("3", text("select attempt from taskq_task where id = ?", gongTask), "not retried");
            assertEquals(3, count(RESERVING + " and state = 'SUCCEEDED'", drumOrders.stream().map(String::valueOf)
                    .toArray(String[]::new)));
            wait.until(ExpectedConditions.textToBe(By.cssSelector("#tasks tbody"), "No failed tasks."));
            screenshot("bulk-deleted");
        } finally {
            update("delete from taskq_task where state = 'FAILED' and last_error like ?", "%" + suffix + "%");
        }
    }

    @Test
    void argumentsAreShownAsTextAndNeverRun() {
        String queue = "xss-" + UUID.randomUUID().toString().substring(0, 8);
        String script = "<script>window.taskqInjected = true</script>"
                + "<img src=x onerror=\"window.taskqInjected = true\">";
        long task = Long.parseLong(text("insert into taskq_task (id, queue, name, args, state, priority, eta, attempt, "
                + "max_attempts, created_at) values (nextval('taskq_task_seq'), ?, 'reserve-stock', "
                + "jsonb_build_object('note', ?::text), 'PENDING', 0, now() + interval '1 day', 0, 1, now()) "
                + "returning id", queue, script));

        try {
            inspectPauseResumeAndDelete(queue, task);
        } finally {
            update("delete from taskq_task where queue = ?", queue);
            update("delete from taskq_queue_pause where queue = ?", queue);
        }
    }

    @Test
    void aPersonCancelsAWaitingTaskFromThePageAndFindsItKeptAsCancelled() throws Exception {
        String queue = "later-" + UUID.randomUUID().toString().substring(0, 8);
        long task = Long.parseLong(text("insert into taskq_task (id, queue, name, args, state, priority, eta, attempt, "
                + "max_attempts, created_at) values (nextval('taskq_task_seq'), ?, 'reserve-stock', "
                + "'{}'::jsonb, 'PENDING', 0, now() + interval '1 day', 0, 1, now()) returning id", queue));
        try {
            signIn("#future");
            WebElement find = browser.findElement(By.cssSelector("#find input[name=id]"));
            find.sendKeys(String.valueOf(task));
            find.submit(); // opens the task by its id, from any group
            wait.until(browser -> fieldOf("State").equals("PENDING"));
            click(By.cssSelector("#detail button[data-action=cancel]"));
            assertEquals("Cancel task " + task + "?", acceptConfirm());
            wait.until(ExpectedConditions.textToBe(By.id("notice"), "Task " + task + " cancelled"));
            assertEquals("CANCELLED", text("select state from taskq_task where id = ?", task));
            String admin = System.getProperty("shop.admin.user");
            assertEquals(admin, text("select cancelled_by from taskq_task where id = ?", task), "the signed-in user");

            click(By.cssSelector("button.card[data-group=CANCELLED]"));
            filter("queue", queue);
            click(row(task));
            wait.until(browser -> fieldOf("State").equals("CANCELLED"));
            assertTrue(fieldOf("Cancelled").endsWith(" by " + admin), fieldOf("Cancelled"));
            wait.until(ExpectedConditions.visibilityOfElementLocated(
                    By.cssSelector("#detail button[data-action=retry]")));
            screenshot("cancelled-task");

            browser.findElement(By.cssSelector("#names-panel summary")).click(); // the counts by task name
            wait.until(browser -> !browser.findElements(By.cssSelector("#names tr[data-name=reserve-stock]")).isEmpty());
            assertTrue(Long.parseLong(textOf(By.cssSelector("#names tr[data-name=reserve-stock] td:nth-child(8)"))
                    .replace(",", "")) >= 1, "reserve-stock has a cancelled task");
            assertEquals("–", textOf(By.cssSelector("#names tr[data-name=reserve-stock] td.limit")), "no limit");
            assertEquals("1 at once", textOf(By.cssSelector("#names tr[data-name=low-stock-report] td.limit")),
                    "@MaxRunning(1) on the report");
            assertEquals("2 at once · 1 loop here", textOf(By.cssSelector("#queues tr[data-queue=mail] td.limit")),
                    "the mail queue's limit across the cluster, and its loop of its own on this node");
        } finally {
            update("delete from taskq_task where queue = ?", queue);
        }
    }

    private void inspectPauseResumeAndDelete(String queue, long task) {
        signIn("#future");
        filter("queue", queue);
        assertTrue(textOf(row(task)).contains("<script>window.taskqInjected"), textOf(row(task)));
        click(row(task));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("detail-args"), "onerror"));
        assertEquals(Boolean.FALSE, ((JavascriptExecutor) browser)
                .executeScript("return window.taskqInjected === true"));
        assertEquals(0L, ((JavascriptExecutor) browser).executeScript(
                "return document.querySelectorAll('main script, main img, #detail script, #detail img').length"));

        By pause = By.cssSelector("#queues tr[data-queue='" + queue + "'] button[data-action=pause]");
        By resume = By.cssSelector("#queues tr[data-queue='" + queue + "'] button[data-action=resume]");
        click(pause);
        wait.until(ExpectedConditions.visibilityOfElementLocated(resume));
        assertEquals("true", text("select 'true' from taskq_queue_pause where queue = ?", queue));
        click(resume);
        wait.until(ExpectedConditions.visibilityOfElementLocated(pause));
        assertEquals(null, text("select 'true' from taskq_queue_pause where queue = ?", queue));

        click(By.cssSelector("#detail button[data-action=delete]"));
        browser.switchTo().alert().accept();
        wait.until(ExpectedConditions.textToBe(By.id("notice"), "Task " + task + " deleted"));
        assertEquals(null, text("select id from taskq_task where id = ?", task));

        // The detail has closed with the delete: the schedules' table is in view.
        By pauseSchedule = By.cssSelector("#schedules tr[data-schedule='low-stock-report'] button[data-action=pause]");
        By resumeSchedule = By.cssSelector("#schedules tr[data-schedule='low-stock-report'] "
                + "button[data-action=resume]");
        assertTrue(textOf(By.cssSelector("#schedules tr[data-schedule='low-stock-report']")).contains("0 */5 * * * *"));
        click(pauseSchedule);
        wait.until(ExpectedConditions.visibilityOfElementLocated(resumeSchedule));
        assertEquals("true", text("select 'true' from taskq_schedule where name = 'low-stock-report' "
                + "and paused_at is not null"));
        click(resumeSchedule);
        wait.until(ExpectedConditions.visibilityOfElementLocated(pauseSchedule));
        assertEquals(null, text("select 'true' from taskq_schedule where name = 'low-stock-report' "
                + "and paused_at is not null"));
    }

    /** Failed reserve-stock tasks whose error contains the pattern that follows. */
    private static final String FAILED_FOR = "select count(*) from taskq_task where name = 'reserve-stock' "
            + "and state = 'FAILED' and last_error like ";
    /** The reserve-stock tasks of three orders. */
    private static final String RESERVING = "select count(*) from taskq_task where name = 'reserve-stock' "
            + "and args ->> 'orderId' in (?, ?, ?)";

    /** @return the ids of {@code count} orders of one {@code item} each, which the warehouse does not hold */
    private List<Long> placeOrders(String item, int count) throws Exception {
        List<Long> orders = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            orders.add(shop.placedOrder("bulk@example.com", item, 1));
        }
        return orders;
    }

    private static long task(long order, String name) {
        return Long.parseLong(until("the task " + name + " of order " + order, () -> text("select id from taskq_task "
                + "where name = ? and args ->> 'orderId' = ?", name, String.valueOf(order))));
    }

    /** Accepts the confirmation the page asks for, once it shows. */
    private String acceptConfirm() {
        Alert confirmation = wait.until(ExpectedConditions.alertIsPresent());
        String question = confirmation.getText();
        confirmation.accept();
        return question;
    }

    /** Opens the page as the shop's admin user, whose credentials the browser then sends with every call. */
    private void signIn(String group) {
        String user = URLEncoder.encode(System.getProperty("shop.admin.user"), StandardCharsets.UTF_8);
        String password = URLEncoder.encode(System.getProperty("shop.admin.password"), StandardCharsets.UTF_8);
        browser.get(base.getProtocol() + "://" + user + ":" + password + "@" + base.getAuthority() + base.getPath()
                + "taskq/" + group);
        wait.until(ExpectedConditions.textMatches(By.id("updated"), java.util.regex.Pattern.compile("^updated ")));
    }

    private void filter(String field, String value) {
        WebElement input = browser.findElement(By.cssSelector("#filter input[name=" + field + "]"));
        input.clear();
        input.sendKeys(value);
        input.submit();
    }

    private static By row(long task) {
        return By.cssSelector("#tasks tr[data-id='" + task + "']");
    }

    /** Clicks what {@code target} finds once it shows, finding it anew if the page redrew it meanwhile. */
    private void click(By target) {
        wait.until(browser -> {
            browser.findElement(target).click();
            return true;
        });
    }

    private String textOf(By target) {
        return wait.until(browser -> {
            WebElement element = browser.findElement(target);
            return element.isDisplayed() ? element.getText() : null;
        });
    }

    private String fieldOf(String name) {
        return String.valueOf(((JavascriptExecutor) browser).executeScript("""
                const term = [...document.querySelectorAll('#detail-fields dt')]
                    .find(dt => dt.textContent === arguments[0]);
                return term ? term.nextElementSibling.textContent : null;""", name));
    }

    private void screenshot(String name) throws Exception {
        Path folder = Path.of(System.getProperty("screenshots"));
        Files.createDirectories(folder);
        Path file = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE).toPath();
        Files.copy(file, folder.resolve(name + "-" + System.getProperty("arquillian.launch") + ".png"),
                StandardCopyOption.REPLACE_EXISTING);
    }
}
