package dev.ordersaga.order.ops;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import dev.ordersaga.stack.LocalStackResource;
import dev.ordersaga.stack.TestTokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URL;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Map;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

/**
 * The console page in headless Chromium against a real order-app: an order placed here, its events from the
 * inventory-app stand-in, coupon-app shown as unavailable, a Kafka record, and a replay with its confirmation.
 * Screenshots of each step in target/console-screenshots/.
 */
@QuarkusTest
@WithTestResource(LocalStackResource.class)
@WithTestResource(PeerStubs.class)
class ConsolePageTest {

    private static final Path SHOTS = Path.of("target/console-screenshots");

    private static Playwright playwright;
    private static Browser browser;

    @TestHTTPResource("/ops/")
    URL console;

    /**
     * Read, not injected: Quarkus validates every test class's injection points whenever it starts, also for the tests
     * of this module that run without the stand-ins.
     */
    private static String stub() {
        return org.eclipse.microprofile.config.ConfigProvider.getConfig().getValue(PeerStubs.STUB_URL, String.class);
    }

    @BeforeAll
    static void chromium() {
        // a page step asks three services and Kafka, on a box shared with other builds
        com.microsoft.playwright.assertions.PlaywrightAssertions.setDefaultAssertionTimeout(15_000);
        // Debian's chromium, never a download (the build has no internet access to Playwright's CDN)
        playwright = Playwright.create(new Playwright.CreateOptions().setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
        browser = playwright.chromium().launch(new BrowserType.LaunchOptions()
                .setExecutablePath(Paths.get("/usr/bin/chromium")).setHeadless(true));
    }

    @AfterAll
    static void close() {
        if (browser != null) {
            browser.close();
        }
        if (playwright != null) {
            playwright.close();
        }
    }

    @Test
    void anOperatorFindsAnOrderSeesWhatEachServiceKnowsAndReplaysItsParkedEvent() throws Exception {
        String id = Consoles.placeOrder();
        RecordMetadata record = Consoles.stockReserved(id);
        // order-app applies the StockReserved: the page then shows the order as order-app has it
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).untilAsserted(() ->
                given().header("Authorization", TestTokens.bearer("c-ops", "customer")).get("/orders/" + id)
                        .then().body("status", equalTo("CONFIRMED")));
        Page page = browser.newPage(new Browser.NewPageOptions().setViewportSize(1500, 1100));

        page.navigate(console.toString());
        assertThat(page.locator("h1")).hasText("order-saga operations");
        assertThat(page.locator("#token-state")).containsText("no token");
        shot(page, "01-opened");

        String token = TestTokens.token(Consoles.OPERATOR, "operator");
        page.fill("#token", token);
        page.click("#save-token");
        assertThat(page.locator("#token-state")).containsText("token set");
        assertThat(page.locator("#backlog-services tr[data-service=inventory-app]")).containsText("outbox_inventory");
        assertThat(page.locator("#backlog-services tr[data-service=coupon-app]")).containsText("unavailable");
        assertThat(page.locator("#consumer-lag")).containsText("order-app");
        shot(page, "02-token-and-backlog");

        // kept for the tab: a reload needs no new token
        page.reload();
        assertThat(page.locator("#token-state")).containsText("token set");

        page.selectOption("#search-kind", "order");
        page.fill("#search-value", id);
        page.click("#search-go");
        assertThat(page.locator("#result-title")).hasText("Order " + id);
        assertThat(page.locator("#services li[data-service=inventory-app]")).hasText("inventory-app: answered");
        assertThat(page.locator("#services li[data-service=coupon-app]")).containsText("coupon-app: unavailable (no answer within 1000 ms)");
        assertThat(page.locator("#state")).containsText("CONFIRMED, placed");
        Locator placed = page.locator("#events tr[data-event-id=\"" + PeerStubs.eventId(id, "placed") + "\"]");
        assertThat(placed).containsText("OrderPlaced");
        assertThat(placed).containsText("orders.events / 0 / 7");
        assertThat(placed).containsText("inventory-app: applied at 2026-12-04T01:00:01.000Z");
        assertThat(placed).containsText(PeerStubs.eventId(id, "reserved"));
        assertThat(page.locator("#events tr[data-event-id=\"" + PeerStubs.eventId(id, "reserved") + "\"]"))
                .containsText("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
        // published and applied (order-app's own ops API adds rows of its own where this build serves one)
        assertThat(page.locator("#timeline tbody tr", new Page.LocatorOptions().setHasText(PeerStubs.eventId(id, "placed")))).hasCount(2);
        Locator parked = page.locator("#parked tr[data-event-id=\"" + PeerStubs.eventId(id, "cancelled") + "\"]");
        assertThat(parked).containsText("check violation: stand-in");
        assertThat(parked.locator(".status-parked")).hasText("parked");
        shot(page, "03-order");

        page.fill("#topic", record.topic());
        page.fill("#partition", Integer.toString(record.partition()));
        page.fill("#offset", Long.toString(record.offset()));
        page.click("#record-go");
        assertThat(page.locator("#record")).containsText(id);
        assertThat(page.locator("#record")).containsText("StockReserved");
        shot(page, "04-record");

        parked.locator("button.replay").click();
        assertThat(page.locator("#confirm")).isVisible();
        page.click("#confirm-go");
        assertThat(page.locator("#confirm-error")).hasText("a reason is required");
        page.fill("#confirm-reason", "the check constraint is gone");
        shot(page, "05-confirm-replay");
        page.click("#confirm-go");
        assertThat(page.locator("#confirm")).not().isVisible();
        assertThat(page.locator("#action-result")).containsText("replayed 1 event");
        assertThat(parked.locator(".status-replayed")).hasText("replayed");
        assertThat(page.locator("#audit tbody")).containsText("ops-1");
        assertThat(page.locator("#audit tbody")).containsText("replay");
        shot(page, "06-replayed");

        // the replay went to inventory-app with the reason typed and the token pasted
        given().get(stub() + "/recorded").then().body("body", equalTo("{\"reason\":\"the check constraint is gone\"}"))
                .body("authorization", equalTo("Bearer " + token));
    }

    private static void shot(Page page, String name) {
        page.screenshot(new Page.ScreenshotOptions().setPath(SHOTS.resolve(name + ".png")).setFullPage(true));
    }
}
