-- A login role for workers that may only read and write Celery's result table.
-- Run it as the owner of the tables (e.g. with psql), after replacing
--   celeriac_results  the role's name
--   change-me         its password
--   public            the schema holding celery_taskmeta
-- then give workers celeriac.result.datasource.url/username/password and
-- celeriac.result.initialize-schema=never (the role cannot create tables).
CREATE ROLE celeriac_results LOGIN PASSWORD 'change-me';
GRANT USAGE ON SCHEMA public TO celeriac_results;
GRANT SELECT, INSERT, UPDATE ON TABLE public.celery_taskmeta TO celeriac_results;
GRANT USAGE ON SEQUENCE public.task_id_sequence TO celeriac_results;
