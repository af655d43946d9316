package dev.ordersaga.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.quarkus.logging.Log;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;

/** Every client error becomes a problem body naming the field; no bad input ever yields a 500. */
public class ProblemMappers {

    @ServerExceptionMapper
    public Response validation(ConstraintViolationException e) {
        List<Problem.FieldError> errors = e.getConstraintViolations().stream()
                .map(v -> new Problem.FieldError(field(v), v.getMessage()))
                .sorted(Comparator.comparing(Problem.FieldError::field))
                .toList();
        String detail = errors.stream().map(f -> f.field() + " " + f.message()).collect(Collectors.joining("; "));
        return Problem.response(400, "Invalid request", detail, errors);
    }

    @ServerExceptionMapper
    public Response unreadableJson(JsonProcessingException e) {
        return badJson(e);
    }

    @ServerExceptionMapper
    public Response mismatchedJson(MismatchedInputException e) {
        return badJson(e);
    }

    @ServerExceptionMapper
    public Response invalidJsonValue(InvalidFormatException e) {
        return badJson(e);
    }

    @ServerExceptionMapper
    public Response unknownJsonField(UnrecognizedPropertyException e) {
        String field = path(e);
        String known = e.getKnownPropertyIds() == null ? "" : e.getKnownPropertyIds().stream().map(Object::toString)
                .sorted().collect(Collectors.joining(", "));
        String message = "unknown field (known: " + known + ")";
        return Problem.response(400, "Malformed request body", field + ": " + message,
                List.of(new Problem.FieldError(field, message)));
    }

    /** No token, or one that does not verify (signature, issuer, expiry): 401 with a Bearer challenge. */
    @ServerExceptionMapper({io.quarkus.security.UnauthorizedException.class, io.quarkus.security.AuthenticationFailedException.class})
    public Response unauthorized(Exception e) {
        return Response.fromResponse(Problem.response(401, "Unauthorized",
                        "a valid bearer token is required (Authorization: Bearer ...)",
                        List.of(new Problem.FieldError("Authorization", "missing or not a valid token"))))
                .header("WWW-Authenticate", "Bearer").build();
    }

    /** A valid token without the role the endpoint needs, or acting for someone else. */
    @ServerExceptionMapper
    public Response forbidden(io.quarkus.security.ForbiddenException e) {
        String detail = e.getMessage() == null || e.getMessage().isBlank() ? "the token's roles do not allow this" : e.getMessage();
        return Problem.response(403, "Forbidden", detail, List.of(new Problem.FieldError("Authorization", detail)));
    }

    @ServerExceptionMapper
    public Response problem(ProblemException e) {
        return e.response();
    }

    @ServerExceptionMapper
    public Response tooLarge(BoundedBody.TooLarge e) {
        return Problem.response(413, "Request body too large", e.getMessage(), List.of(new Problem.FieldError("body", e.getMessage())));
    }

    /** What no other mapper knows: a 500 problem body, never an HTML or text page, with the cause in the log. */
    @ServerExceptionMapper
    public Response unexpected(Exception e) {
        Log.errorf(e, "request failed: %s", e.toString());
        return Problem.response(500, "Internal Server Error", "the request failed; the service log has the cause");
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e) {
        int status = e.getResponse().getStatus();
        if (status >= 500) {
            Log.errorf(e, "request failed with %d", status);
        }
        Response.StatusType type = Response.Status.fromStatusCode(status);
        String title = type == null ? "HTTP " + status : type.getReasonPhrase();
        if (status == 400) {
            // the framework refused the body before it reached a resource (unreadable JSON)
            return Problem.response(status, "Malformed request body", "body: " + e.getMessage(),
                    List.of(new Problem.FieldError("body", e.getMessage())));
        }
        return Problem.response(status, title, e.getMessage());
    }

    private static Response badJson(JsonProcessingException e) {
        String field = e instanceof JsonMappingException m ? path(m) : null;
        String detail = e.getOriginalMessage();
        List<Problem.FieldError> errors = field == null || field.isEmpty()
                ? List.of(new Problem.FieldError("body", "malformed JSON: " + detail))
                : List.of(new Problem.FieldError(field, "cannot read this value: " + detail));
        return Problem.response(400, "Malformed request body", errors.get(0).field() + ": " + errors.get(0).message(), errors);
    }

    private static String path(JsonMappingException e) {
        StringBuilder b = new StringBuilder();
        for (JsonMappingException.Reference r : e.getPath()) {
            if (r.getFieldName() != null) {
                if (!b.isEmpty()) {
                    b.append('.');
                }
                b.append(r.getFieldName());
            } else if (r.getIndex() >= 0) {
                b.append('[').append(r.getIndex()).append(']');
            }
        }
        return b.toString();
    }

    /**
     * The path without the method and parameter: "place.body.items[0].quantity" -> "items[0].quantity".
     * A violation on a parameter itself names the parameter ("body" for a missing body).
     */
    private static String field(ConstraintViolation<?> v) {
        String[] parts = v.getPropertyPath().toString().split("\\.", 3);
        return switch (parts.length) {
            case 3 -> parts[2];
            case 2 -> parts[1];
            default -> parts[0];
        };
    }
}
