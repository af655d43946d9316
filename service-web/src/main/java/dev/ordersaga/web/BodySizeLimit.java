package dev.ordersaga.web;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import java.util.List;
import java.util.Optional;

/**
 * Refuses declared bodies over {@code api.max-body-size} with a 413 problem body. Bodies without a length
 * are still cut off by the HTTP layer's own, larger limit ({@code quarkus.http.limits.max-body-size}).
 */
public class BodySizeLimit {

    private final long maxBytes;

    public BodySizeLimit(@ConfigProperty(name = "api.max-body-size", defaultValue = "65536") long maxBytes) {
        this.maxBytes = maxBytes;
    }

    @ServerRequestFilter(preMatching = true)
    public Optional<Response> limit(ContainerRequestContext request) {
        String length = request.getHeaderString(HttpHeaders.CONTENT_LENGTH);
        if (length == null) {
            return Optional.empty();
        }
        try {
            if (Long.parseLong(length.trim()) <= maxBytes) {
                return Optional.empty();
            }
        } catch (NumberFormatException e) {
            return Optional.of(Problem.response(400, "Bad Request", "Content-Length is not a number",
                    List.of(new Problem.FieldError("Content-Length", "not a number"))));
        }
        return Optional.of(Problem.response(413, "Request body too large", "the body is over " + maxBytes + " bytes",
                List.of(new Problem.FieldError("body", "over " + maxBytes + " bytes"))));
    }
}
