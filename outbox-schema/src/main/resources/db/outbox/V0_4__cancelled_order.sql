-- Orders this service saw cancelled (Cancellations): an OrderPlaced that arrives after its OrderCancelled (a replay,
-- a partition move) is refused and holds nothing. Kept as long as the inbox (inbox.retention).
CREATE TABLE cancelled_order (
    order_id     varchar(64) PRIMARY KEY,
    cancelled_at timestamptz NOT NULL
);
CREATE INDEX cancelled_order_at ON cancelled_order (cancelled_at);
