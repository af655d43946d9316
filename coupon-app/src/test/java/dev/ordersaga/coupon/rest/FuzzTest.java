package dev.ordersaga.coupon.rest;

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

/** Generated requests to the coupon API: never a 5xx, every 4xx a problem body, and a refused issue adds no coupon. */
@QuarkusTest
@WithTestResource(value = LocalStackResource.class, initArgs = @ResourceArg(name = "database", value = "coupons"))
class FuzzTest {

    private static final int TRIES = 1000;
    private final String token = TestTokens.bearer("fuzz", "coupon-admin");
    private Connection db;

    @BeforeEach
    void connect() throws SQLException {
        db = TestStack.shared().connect("coupons");
    }

    @AfterEach
    void disconnect() throws SQLException {
        db.close();
    }

    @Test
    void issuingAndReadingCoupons() {
        Map<String, Arbitrary<String>> fields = new LinkedHashMap<>();
        fields.put("code", Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(70).map(s -> EdgeFuzz.quote("FZ" + s)));
        fields.put("discountPercent", Arbitraries.integers().between(-1, 101).map(String::valueOf));
        List<String> bodies = EdgeFuzz.body(fields).sampleStream().limit(TRIES).toList();
        List<String> codes = EdgeFuzz.pathSegment().sampleStream().limit(TRIES).toList();
        for (int i = 0; i < TRIES; i++) {
            long before = coupons();
            Response r = send(given().contentType("application/json").body(bodies.get(i)), "POST", "/coupons");
            if (r.statusCode() >= 400) {
                assertThat(coupons()).as("coupons after refused %s", bodies.get(i)).isEqualTo(before);
            }
            send(given(), "GET", "/coupons/" + codes.get(i));
        }
    }

    private Response send(RequestSpecification spec, String method, String target) {
        return EdgeFuzz.send(spec, token, method, target);
    }

    private long coupons() {
        try (Statement s = db.createStatement(); ResultSet rs = s.executeQuery("SELECT count(*) FROM coupon")) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
