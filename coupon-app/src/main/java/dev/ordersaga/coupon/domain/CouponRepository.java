package dev.ordersaga.coupon.domain;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

import java.util.Optional;

@ApplicationScoped
public class CouponRepository implements PanacheRepositoryBase<Coupon, String> {

    /** Row lock: two orders racing for one coupon are decided by the database. */
    public Optional<Coupon> lock(String code) {
        return findByIdOptional(code, LockModeType.PESSIMISTIC_WRITE);
    }
}
