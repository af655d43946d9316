-- What a test handler applied, in commit order.
CREATE TABLE applied (seq bigserial PRIMARY KEY, consumer varchar(100) NOT NULL, order_id varchar(64) NOT NULL,
                      marker varchar(100) NOT NULL);
