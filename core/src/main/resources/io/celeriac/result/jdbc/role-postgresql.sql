-- A login role for workers that may only read and write Celery's result table.
-- Run it with psql, as the owner of the tables, in the database that holds them:
--   psql -v password='<the role's password>' -f role-postgresql.sql <database>
-- The password is required (there is no default); optional: -v role=<name> (default
-- celeriac_results) and -v schema=<schema holding celery_taskmeta> (default public).
-- It also revokes CREATE on schema public from PUBLIC (PostgreSQL 14 and older grant it
-- to every role), so that the role can create no table there.
-- Then give workers celeriac.result.datasource.url/username/password and
-- celeriac.result.initialize-schema=never (the role cannot create tables).
\set ON_ERROR_STOP on
\if :{?password}
SELECT length(:'password') = 0 AS celeriac_no_password \gset
\else
\set celeriac_no_password true
\endif
\if :celeriac_no_password
DO $$ BEGIN RAISE EXCEPTION 'role-postgresql.sql needs the role''s password: psql -v password=''...'' -f role-postgresql.sql <database>'; END $$;
\endif
\if :{?role}
\else
\set role celeriac_results
\endif
\if :{?schema}
\else
\set schema public
\endif
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
REVOKE CREATE ON SCHEMA :"schema" FROM PUBLIC;
CREATE ROLE :"role" LOGIN PASSWORD :'password';
GRANT USAGE ON SCHEMA :"schema" TO :"role";
GRANT SELECT, INSERT, UPDATE ON TABLE :"schema".celery_taskmeta TO :"role";
GRANT USAGE ON SEQUENCE :"schema".task_id_sequence TO :"role";
