package dev.ordersaga.system;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import dev.ordersaga.stack.Service;
import dev.ordersaga.stack.TestTokens;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;

/**
 * An operator's day, end to end in a real browser: inventory's database refuses one order's reservation (a CHECK
 * constraint, as a bad migration would), so inventory-app parks its OrderPlaced, and the saga deadline's events
 * (OrderDeadlinePassed, OrderCancelled) behind it; other orders flow. The operator finds the order in the console,
 * reads the reason, the cause is fixed, and a Replay with a reason applies the three in order: the order holds
 * nothing in inventory, and the audit names who did it. Screenshots of each step in target/console-screenshots/.
 */
class OpsConsoleIT {

    private static final Duration SAGA = Duration.ofSeconds(8);
    private static final Path SHOTS = Path.of("target/console-screenshots");
    private static final String CONSTRAINT = "ops_console_it_refuses";
    private static final String OPERATOR = "ops-lead";

    private final RunningSystem system = RunningSystem.shared();
    private final String orders = system.url(Service.ORDER_APP);
    private final String inventory = system.url(Service.INVENTORY_APP);

    @BeforeAll
    static void shortSagaDeadline() {
        // a page step asks three services and Kafka, on a box the whole system shares
        com.microsoft.playwright.assertions.PlaywrightAssertions.setDefaultAssertionTimeout(20_000);
        RunningSystem.shared().restart(Service.ORDER_APP, Map.of("ORDER_SAGA_DEADLINE", SAGA.getSeconds() + "s"));
    }

    @AfterAll
    static void defaultDeadlines() {
        RunningSystem.shared().restartExited();
        RunningSystem.shared().restart(Service.ORDER_APP, Map.of());
    }

    @Test
    void anOperatorReplaysTheParkedEventsOfAnOrderOnceTheCauseIsFixed() throws Exception {
        String refusedSku = stock(10);
        String otherSku = stock(10);
        // the reservation rows of this SKU, so of the one order that names it, are refused (23514): deterministic, parked
        sql("ALTER TABLE reservation ADD CONSTRAINT " + CONSTRAINT + " CHECK (sku <> '" + refusedSku + "') NOT VALID");
        try {
            String stuck = place(refusedSku, 2);
            // the saga deadline cancels it; inventory parks the deadline and the OrderCancelled behind the OrderPlaced it
            // never applied (the deadline is a no-op for inventory, but it is an event of the order: it waits too)
            await().atMost(SAGA.plusSeconds(60)).pollInterval(Duration.ofMillis(250)).untilAsserted(() ->
                    given().get(orders + "/orders/" + stuck).then().body("status", equalTo("CANCELLED")).body("reason", equalTo("SAGA_TIMEOUT")));
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                    assertThat(parked(stuck)).containsExactly("OrderPlaced parked", "OrderDeadlinePassed parked", "OrderCancelled parked"));
            String placedId = eventId(stuck, "OrderPlaced");
            // another order is not held up by the parked one
            String flowing = place(otherSku, 1);
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                    given().get(orders + "/orders/" + flowing).then().body("status", equalTo("CONFIRMED")));
            assertStock(otherSku, 9, 1);
            assertStock(refusedSku, 10, 0);

            try (Playwright playwright = Playwright.create(new Playwright.CreateOptions().setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
                 Browser browser = playwright.chromium().launch(new BrowserType.LaunchOptions()
                         .setExecutablePath(Paths.get("/usr/bin/chromium")).setHeadless(true))) {
                operate(browser.newPage(new Browser.NewPageOptions().setViewportSize(1600, 1200)), stuck, placedId);
            }

            // in order, through the normal path: reserved, then released; the order holds nothing in inventory
            assertThat(parked(stuck)).containsExactly("OrderPlaced replayed", "OrderDeadlinePassed replayed", "OrderCancelled replayed");
            assertThat(journal(stuck)).containsSubsequence("OrderPlaced parked", "OrderCancelled parked",
                    "OrderPlaced replayed", "OrderCancelled replayed");
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertStock(refusedSku, 10, 0));
            assertThat(count("SELECT count(*) FROM reservation WHERE order_id = ? AND NOT released", stuck)).isZero();
            assertThat(count("SELECT count(*) FROM parked_action WHERE order_id = ? AND action = 'replay' AND actor = '" + OPERATOR + "'",
                    stuck)).isEqualTo(1);
            given().get(orders + "/orders/" + stuck).then().body("status", equalTo("CANCELLED"));
        } finally {
            sql("ALTER TABLE reservation DROP CONSTRAINT IF EXISTS " + CONSTRAINT);
        }
    }

    /** The operator's part: find the order, read why it is parked, replay once the cause is fixed. */
    private void operate(Page page, String stuck, String placedId) throws SQLException {
        page.navigate(orders + "/ops/");
        page.fill("#token", TestTokens.token(OPERATOR, "operator"));
        page.click("#save-token");
        // its slot's figures and parked count (other tests of this JVM may have parked events of their own)
        assertThat(page.locator("#backlog-services tr[data-service=inventory-app]")).containsText("outbox_inventory");
        assertThat(page.locator("#all-parked tr[data-event-id=\"" + placedId + "\"]")).containsText(stuck);
        shot(page, "01-backlog-and-parked");

        page.fill("#search-value", stuck);
        page.click("#search-go");
        assertThat(page.locator("#services li[data-service=inventory-app]")).hasText("inventory-app: answered");
        assertThat(page.locator("#state")).containsText("CANCELLED SAGA_TIMEOUT");
        Locator head = page.locator("#parked tr[data-event-id=\"" + placedId + "\"]");
        assertThat(head).containsText("OrderPlaced");
        assertThat(head).containsText(CONSTRAINT);
        assertThat(head.locator(".status-parked")).hasText("parked");
        Locator behind = page.locator("#parked tr", new Page.LocatorOptions().setHasText("OrderCancelled"));
        assertThat(behind).containsText("waits behind parked event " + placedId);
        assertThat(page.locator("#events tr[data-event-id=\"" + placedId + "\"]")).containsText("inventory-app: parked");
        shot(page, "02-order-parked");

        // the cause fixed
        sql("ALTER TABLE reservation DROP CONSTRAINT " + CONSTRAINT);

        head.locator("button.replay").click();
        assertThat(page.locator("#confirm")).isVisible();
        page.fill("#confirm-reason", "dropped the check constraint " + CONSTRAINT);
        shot(page, "03-confirm-replay");
        page.click("#confirm-go");
        assertThat(page.locator("#confirm")).not().isVisible();
        assertThat(page.locator("#action-result")).containsText("replay");
        assertThat(head.locator(".status-replayed")).hasText("replayed");
        assertThat(behind.locator(".status-replayed")).hasText("replayed");
        assertThat(page.locator("#events tr[data-event-id=\"" + placedId + "\"]")).containsText("inventory-app: replayed");
        Locator audit = page.locator("#audit tbody tr").first();
        assertThat(audit.locator(".actor")).hasText(OPERATOR);
        assertThat(audit.locator(".action")).hasText("replay");
        assertThat(audit).containsText("dropped the check constraint " + CONSTRAINT);
        shot(page, "04-replayed");
    }

    private String place(String sku, int quantity) {
        String body = "{\"customerId\": \"c-1\", \"items\": [{\"sku\": \"" + sku + "\", \"quantity\": " + quantity + "}]}";
        return given().contentType(ContentType.JSON).body(body).post(orders + "/orders").then().statusCode(202).extract().path("id");
    }

    private String stock(int available) {
        String sku = "SKU-" + UUID.randomUUID();
        given().contentType(ContentType.JSON).body("{\"available\": " + available + ", \"price\": 1.00}")
                .put(inventory + "/stock/" + sku).then().statusCode(org.hamcrest.Matchers.oneOf(200, 201));
        return sku;
    }

    private void assertStock(String sku, int available, int reserved) {
        given().get(inventory + "/stock/" + sku).then().statusCode(200).body("available", is(available)).body("reserved", is(reserved));
    }

    /** inventory-app's parked rows of the order, in parking order: "type status". */
    private List<String> parked(String orderId) throws SQLException {
        return rows("SELECT event_type || ' ' || status FROM parked_event WHERE consumer = 'inventory-app' AND order_id = ? ORDER BY id", orderId);
    }

    /** What inventory-app's journal says it did with the order's events: "type outcome", in order. */
    private List<String> journal(String orderId) throws SQLException {
        return rows("SELECT event_type || ' ' || outcome FROM consumer_journal WHERE consumer = 'inventory-app' AND order_id = ? "
                + "AND event_type IN ('OrderPlaced', 'OrderCancelled') ORDER BY id", orderId);
    }

    private String eventId(String orderId, String type) throws SQLException {
        return rows("SELECT event_id::text FROM parked_event WHERE consumer = 'inventory-app' AND order_id = ? AND event_type = '"
                + type + "'", orderId).get(0);
    }

    private long count(String query, String orderId) throws SQLException {
        return Long.parseLong(rows(query, orderId).get(0));
    }

    private List<String> rows(String query, String orderId) throws SQLException {
        try (Connection c = system.stack.connect("inventory"); PreparedStatement s = c.prepareStatement(query)) {
            s.setString(1, orderId);
            List<String> out = new ArrayList<>();
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    out.add(r.getString(1));
                }
            }
            return out;
        }
    }

    private void sql(String statement) throws SQLException {
        try (Connection c = system.stack.connect("inventory"); Statement s = c.createStatement()) {
            s.execute(statement);
        }
    }

    private static void shot(Page page, String name) {
        page.screenshot(new Page.ScreenshotOptions().setPath(SHOTS.resolve(name + ".png")).setFullPage(true));
    }
}
