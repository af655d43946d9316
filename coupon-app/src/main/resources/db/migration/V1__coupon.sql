CREATE TABLE coupon (
    code             varchar(64) PRIMARY KEY,
    discount_percent int         NOT NULL CHECK (discount_percent BETWEEN 1 AND 100),
    status           varchar(16) NOT NULL,
    order_id         varchar(64),
    version          bigint      NOT NULL
);
