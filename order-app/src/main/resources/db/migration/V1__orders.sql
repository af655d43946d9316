CREATE TABLE orders (
    id              uuid         PRIMARY KEY,
    customer_id     varchar(100) NOT NULL,
    coupon_code     varchar(64),
    status          varchar(16)  NOT NULL,
    reason          varchar(64),
    stock_reserved  boolean      NOT NULL DEFAULT false,
    coupon_locked   boolean      NOT NULL DEFAULT false,
    idempotency_key varchar(100) UNIQUE,
    placed_at       timestamptz  NOT NULL,
    version         bigint       NOT NULL
);

CREATE TABLE order_lines (
    order_id uuid         NOT NULL REFERENCES orders (id),
    line_no  int          NOT NULL,
    sku      varchar(64)  NOT NULL,
    quantity int          NOT NULL CHECK (quantity > 0),
    PRIMARY KEY (order_id, line_no)
);
