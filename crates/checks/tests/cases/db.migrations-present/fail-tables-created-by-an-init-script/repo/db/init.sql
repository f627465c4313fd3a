CREATE SCHEMA accounting;
CREATE TABLE accounting."order" (
    order_id TEXT PRIMARY KEY
);
