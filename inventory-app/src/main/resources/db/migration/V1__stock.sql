CREATE TABLE stock (
    sku       varchar(64) PRIMARY KEY,
    available int         NOT NULL CHECK (available >= 0),
    reserved  int         NOT NULL CHECK (reserved >= 0),
    version   bigint      NOT NULL
);

-- What each order holds, line by line, so a cancellation releases exactly that.
CREATE TABLE reservation (
    id       uuid        PRIMARY KEY,
    order_id varchar(64) NOT NULL,
    sku      varchar(64) NOT NULL REFERENCES stock (sku),
    quantity int         NOT NULL CHECK (quantity > 0),
    released boolean     NOT NULL DEFAULT false,
    version  bigint      NOT NULL
);
CREATE INDEX reservation_order ON reservation (order_id);
