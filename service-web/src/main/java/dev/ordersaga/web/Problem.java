package dev.ordersaga.web;

import com.fasterxml.jackson.annotation.JsonInclude;
import jakarta.ws.rs.core.Response;

import java.util.List;

/** An RFC 9457 problem body. {@code errors} names each offending field. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String type, String title, int status, String detail, List<FieldError> errors) {

    public static final String MEDIA_TYPE = "application/problem+json";

    public record FieldError(String field, String message) {
    }

    public static Response response(int status, String title, String detail, List<FieldError> errors) {
        return Response.status(status)
                .type(MEDIA_TYPE)
                .entity(new Problem("about:blank", title, status, detail, errors == null || errors.isEmpty() ? null : errors))
                .build();
    }

    public static Response response(int status, String title, String detail) {
        return response(status, title, detail, null);
    }
}
