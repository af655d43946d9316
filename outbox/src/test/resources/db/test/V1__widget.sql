CREATE TABLE widget (id uuid PRIMARY KEY, name varchar(100) NOT NULL);
