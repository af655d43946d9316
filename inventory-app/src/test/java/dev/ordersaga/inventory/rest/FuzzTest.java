package dev.ordersaga.inventory.rest;

import dev.ordersaga.stack.EdgeFuzz;
import dev.ordersaga.stack.LocalStackResource;
import dev.ordersaga.stack.TestStack;
import dev.ordersaga.stack.TestTokens;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/** Generated requests to the stock API: never a 5xx, every 4xx a problem body, and a refused write changes no stock. */
@QuarkusTest
@WithTestResource(value = LocalStackResource.class, initArgs = @ResourceArg(name = "database", value = "inventory"))
class FuzzTest {

    private static final int TRIES = 1000;
    private final String token = TestTokens.bearer("fuzz", "stock-admin");
    private Connection db;

    @BeforeEach
    void connect() throws SQLException {
        db = TestStack.shared().connect("inventory");
    }

    @AfterEach
    void disconnect() throws SQLException {
        db.close();
    }

    @Test
    void settingAndReadingStock() {
        Map<String, Arbitrary<String>> fields = new LinkedHashMap<>();
        fields.put("available", Arbitraries.integers().between(-1, 1_000_000_001).map(String::valueOf));
        fields.put("price", Arbitraries.of("0", "4.99", "-1", "0.001", "12345678901.00", "1e2", "\"4.99\""));
        List<String> bodies = EdgeFuzz.body(fields).sampleStream().limit(TRIES).toList();
        List<String> skus = Arbitraries.frequencyOf(
                        net.jqwik.api.Tuple.of(1, Arbitraries.just("FZ-FIXED")),
                        net.jqwik.api.Tuple.of(3, EdgeFuzz.pathSegment().map(s -> "FZ-" + s)))
                .sampleStream().limit(TRIES).toList();
        List<String> ifMatch = Arbitraries.frequencyOf(
                        net.jqwik.api.Tuple.of(4, Arbitraries.just("")),
                        net.jqwik.api.Tuple.of(1, EdgeFuzz.headerValue()))
                .sampleStream().limit(TRIES).toList();
        for (int i = 0; i < TRIES; i++) {
            String before = snapshot();
            RequestSpecification spec = given().contentType("application/json").body(bodies.get(i));
            if (!ifMatch.get(i).isEmpty()) {
                spec.header("If-Match", ifMatch.get(i));
            }
            Response r = send(spec, "PUT", "/stock/" + skus.get(i));
            if (r.statusCode() >= 400) {
                assertThat(snapshot()).as("stock after refused PUT %s %s", skus.get(i), bodies.get(i)).isEqualTo(before);
            }
            send(given(), "GET", "/stock/" + skus.get(i));
        }
    }

    private Response send(RequestSpecification spec, String method, String target) {
        return EdgeFuzz.send(spec, token, method, target);
    }

    /** The fuzzed SKUs' rows: how many, and the sum of their versions (every write raises one). */
    private String snapshot() {
        try (Statement s = db.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*), coalesce(sum(version), 0) FROM stock WHERE sku LIKE 'FZ-%'")) {
            rs.next();
            return rs.getLong(1) + "/" + rs.getLong(2);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
