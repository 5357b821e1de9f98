CREATE TABLE t (id int);
CREATE SCHEMA "Mixed Case";
CREATE TABLE "Mixed Case"."Order Items" ("Item Id" int PRIMARY KEY, "select" text, "x""y" int);
CREATE INDEX "odd ""index""" ON "Mixed Case"."Order Items" ("select");
