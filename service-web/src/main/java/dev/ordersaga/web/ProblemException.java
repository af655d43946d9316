package dev.ordersaga.web;

import jakarta.ws.rs.core.Response;

import java.util.List;

/** A refusal with its problem body, thrown where a resource decides it (403 for another customer, 412, 422, ...). */
public class ProblemException extends RuntimeException {

    private final transient Response response;

    public ProblemException(int status, String title, String field, String message) {
        super(message);
        this.response = Problem.response(status, title, field + ": " + message, List.of(new Problem.FieldError(field, message)));
    }

    public Response response() {
        return response;
    }
}
