-- Nothing to grant on sqlite: one process, no roles. Keeps the version numbers in step with PostgreSQL's.
SELECT 1;
