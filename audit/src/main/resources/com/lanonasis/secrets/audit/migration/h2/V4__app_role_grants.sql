-- Nothing to grant on h2: one process, no roles. Keeps the version numbers in step with PostgreSQL's.
SELECT 1;
