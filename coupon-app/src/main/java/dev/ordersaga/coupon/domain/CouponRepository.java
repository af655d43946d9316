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

    /** Until the transaction ends, others that lock the same code wait: a code that does not exist yet has no row. */
    public void lockCode(String code) {
        getEntityManager().createNativeQuery("SELECT pg_advisory_xact_lock(hashtextextended(?1, 0))")
                .setParameter(1, "coupon:" + code).getSingleResult();
    }
}
