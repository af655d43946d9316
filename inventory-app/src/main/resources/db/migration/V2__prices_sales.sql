-- A unit price per SKU (0 until set), units sold (reservations of paid orders), and whether a reservation was sold.
ALTER TABLE stock ADD COLUMN price numeric(12, 2) NOT NULL DEFAULT 0 CHECK (price >= 0);
ALTER TABLE stock ADD COLUMN sold int NOT NULL DEFAULT 0 CHECK (sold >= 0);
ALTER TABLE reservation ADD COLUMN sold boolean NOT NULL DEFAULT false;
ALTER TABLE reservation ADD COLUMN unit_price numeric(12, 2) NOT NULL DEFAULT 0;
