-- Run once by the postgres image's entrypoint when the data volume is empty
-- (/docker-entrypoint-initdb.d), as the superuser `postgres`.
--
--   wagent_owner  owns database `wagent` and everything the migrations create;
--                 `wagent` runs the migrations with it (WAGENT_DATABASE_OWNER_URL).
--   wagent_app    what the server connects as (DATABASE_URL): no superuser, no
--                 BYPASSRLS, so row-level security applies to it. Its privileges on
--                 tables are granted by the migrations.
--
-- The passwords are for the local compose stack only and must match the URLs in
-- docker/compose.yml. Change both for anything reachable from a network.

CREATE ROLE wagent_owner LOGIN PASSWORD 'wagent-owner-dev'
  NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS;

CREATE ROLE wagent_app LOGIN PASSWORD 'wagent-app-dev'
  NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS;

CREATE DATABASE wagent OWNER wagent_owner;

REVOKE ALL ON DATABASE wagent FROM PUBLIC;
GRANT CONNECT, TEMPORARY ON DATABASE wagent TO wagent_owner;
GRANT CONNECT ON DATABASE wagent TO wagent_app;

\connect wagent

-- PostgreSQL 15+: schema public belongs to pg_database_owner (= wagent_owner) and
-- PUBLIC may not create in it. Make the ownership explicit and let the app use it.
ALTER SCHEMA public OWNER TO wagent_owner;
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
GRANT USAGE ON SCHEMA public TO wagent_app;
