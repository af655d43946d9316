-- A unit price per SKU (0 until set), units sold (reservations of paid orders), and whether a reservation was sold.
ALTER TABLE stock ADD COLUMN price numeric(12, 2) NOT NULL DEFAULT 0 CHECK (price >= 0);
ALTER TABLE stock ADD COLUMN sold int NOT NULL DEFAULT 0 CHECK (sold >= 0);
ALTER TABLE reservation ADD COLUMN sold boolean NOT NULL DEFAULT false;
ALTER TABLE reservation ADD COLUMN unit_price numeric(12, 2) NOT NULL DEFAULT 0;

-- Orders known to be cancelled: an OrderPlaced that arrives after its OrderCancelled (a replay, a partition move)
-- is refused and holds nothing. Kept as long as the inbox (inbox.retention).
CREATE TABLE cancelled_order (
    order_id     varchar(64) PRIMARY KEY,
    cancelled_at timestamptz NOT NULL
);
CREATE INDEX cancelled_order_at ON cancelled_order (cancelled_at);
