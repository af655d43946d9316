package dev.ordersaga.order.ops;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What one service's ops API answered. {@code available} is false when it did not answer in time, could not be
 * reached, or answered with something other than 2xx: the console shows that service as unavailable and goes on.
 */
public record PeerAnswer(String service, boolean available, int status, String error, JsonNode body) {

    static PeerAnswer ok(String service, int status, JsonNode body) {
        return new PeerAnswer(service, true, status, null, body);
    }

    static PeerAnswer unavailable(String service, int status, String error) {
        return new PeerAnswer(service, false, status, error, null);
    }
}
