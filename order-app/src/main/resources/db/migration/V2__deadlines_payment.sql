-- The deadline an order waits under (SAGA while PENDING, PAYMENT while CONFIRMED) and the delayed event that
-- carries it, to withdraw when the order moves on. Prices and the total come from StockReserved and CouponLocked.
ALTER TABLE orders
    ADD COLUMN deadline         varchar(16),
    ADD COLUMN deadline_event   uuid,
    ADD COLUMN discount_percent int,
    ADD COLUMN total            numeric(14, 2),
    ADD COLUMN paid_at          timestamptz;

ALTER TABLE order_lines ADD COLUMN unit_price numeric(12, 2);
