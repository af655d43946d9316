-- An idempotency key belongs to the customer who sent it (two customers may pick the same key), and it remembers
-- the request it came with: the same key with another request is refused. Keys expire (order.idempotency-window),
-- so a key is no longer unique across all time.
ALTER TABLE orders DROP CONSTRAINT orders_idempotency_key_key;
ALTER TABLE orders ADD COLUMN idempotency_fingerprint varchar(64);
CREATE INDEX orders_customer_idempotency ON orders (customer_id, idempotency_key) WHERE idempotency_key IS NOT NULL;
-- GET /orders: a customer's orders, newest first
CREATE INDEX orders_customer_placed ON orders (customer_id, placed_at DESC, id);
CREATE INDEX orders_placed ON orders (placed_at DESC, id);
