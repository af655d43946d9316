package dev.ordersaga.web;

/** The request is valid but clashes with existing state, e.g. a duplicate key: HTTP 409. */
public class ConflictException extends RuntimeException {

    private final String field;

    public ConflictException(String field, String message) {
        super(message);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
