package dev.ordersaga.web;

import io.quarkus.security.identity.SecurityIdentity;
import jakarta.enterprise.context.RequestScoped;
import org.eclipse.microprofile.jwt.JsonWebToken;

import java.security.Principal;

/** Who sent the request: the bearer token's subject and roles. Only meaningful behind {@code @RolesAllowed}. */
@RequestScoped
public class Caller {

    public static final String CUSTOMER = "customer";
    public static final String STOCK_ADMIN = "stock-admin";
    public static final String COUPON_ADMIN = "coupon-admin";
    public static final String OPERATOR = "operator";

    private final SecurityIdentity identity;

    public Caller(SecurityIdentity identity) {
        this.identity = identity;
    }

    /** The token's {@code sub}: the customer id of a customer. */
    public String subject() {
        Principal p = identity.getPrincipal();
        if (p instanceof JsonWebToken jwt && jwt.getSubject() != null) {
            return jwt.getSubject();
        }
        return p.getName();
    }

    public boolean is(String role) {
        return identity.hasRole(role);
    }
}
