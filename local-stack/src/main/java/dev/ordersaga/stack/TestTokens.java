package dev.ordersaga.stack;

import io.restassured.RestAssured;
import io.restassured.filter.Filter;

/**
 * Tokens for tests, signed with the test stack's key (which the services under test trust). {@link #actAs} makes
 * every REST Assured request of the test JVM carry one, unless the request sets its own Authorization header.
 */
public final class TestTokens {

    private static volatile String current;
    private static boolean installed;

    private TestTokens() {
    }

    /** A bearer token for {@code subject} with {@code roles}, valid for an hour. */
    public static String token(String subject, String... roles) {
        return TestStack.shared().tokens().mint(subject, roles);
    }

    /** {@code "Bearer <token>"}, for an Authorization header. */
    public static String bearer(String subject, String... roles) {
        return "Bearer " + token(subject, roles);
    }

    /** From now on REST Assured requests without an Authorization header of their own carry this identity. */
    public static synchronized void actAs(String subject, String... roles) {
        current = bearer(subject, roles);
        if (!installed) {
            Filter filter = (request, response, ctx) -> {
                String token = current;
                if (token != null && !request.getHeaders().hasHeaderWithName("Authorization")) {
                    request.header("Authorization", token);
                }
                return ctx.next(request, response);
            };
            RestAssured.filters(filter);
            installed = true;
        }
    }
}
