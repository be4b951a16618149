-- Least-privilege role for veza-pgha-datasource. Run as a superuser:
--   on the monitor:       psql -d pg_auto_failover -f docs/pgha-grafana-role.sql
--   on the primary node:  psql -d postgres -f docs/pgha-grafana-role.sql   (replicates to the standbys)
-- Then configure the data source with monitor user/node user grafana_pgha and monitor schema veza_pgha.
--
-- Why not GRANT USAGE ON SCHEMA pgautofailover: the formation-changing functions
-- (perform_failover, perform_promotion, start_maintenance, remove_node, set_node_*) are
-- SECURITY DEFINER and EXECUTE is granted to PUBLIC, so USAGE on that schema alone lets a role
-- trigger a failover. This role gets no USAGE there: it reads views, owned by the superuser, in
-- a separate schema.
DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'grafana_pgha') THEN
    CREATE ROLE grafana_pgha LOGIN;  -- set a password: ALTER ROLE grafana_pgha PASSWORD '…';
  END IF;
END $$;

-- Nodes: lag, sync state and the WAL receiver's timeline are hidden without pg_read_all_stats.
-- Not pg_monitor: it includes pg_read_all_settings, which reads primary_conninfo (and the
-- replication password in it, when one is set there). An older version of this file granted it.
GRANT pg_read_all_stats TO grafana_pgha;
DO $$
BEGIN
  IF pg_has_role('grafana_pgha', 'pg_monitor', 'MEMBER') THEN
    REVOKE pg_monitor FROM grafana_pgha;
  END IF;
END $$;

DO $$
DECLARE db text := current_database();
BEGIN
  EXECUTE format('GRANT CONNECT ON DATABASE %I TO grafana_pgha', db);
  IF db <> 'pg_auto_failover' THEN
    -- A data node: CONNECT + pg_read_all_stats is all it needs. Not forced read-only per role
    -- here: the node reading tells a demoted primary by its default_transaction_read_only, which
    -- a role setting would mask. The role has no write privilege there (PostgreSQL 15+; on older
    -- versions also REVOKE CREATE ON SCHEMA public FROM PUBLIC).
    RETURN;
  END IF;

  -- The monitor: every session of the role is read-only, whatever a client asks for.
  EXECUTE 'ALTER ROLE grafana_pgha IN DATABASE pg_auto_failover SET default_transaction_read_only = on';

  CREATE SCHEMA IF NOT EXISTS veza_pgha;
  REVOKE ALL ON SCHEMA veza_pgha FROM PUBLIC;
  GRANT USAGE ON SCHEMA veza_pgha TO grafana_pgha;

  -- Same column names as the tables the data source reads; enums cast to text so the role needs
  -- nothing in the pgautofailover schema. reportedlsn stays pg_lsn for pg_wal_lsn_diff.
  CREATE OR REPLACE VIEW veza_pgha.formation AS
    SELECT formationid, kind, dbname, opt_secondary, number_sync_standbys FROM pgautofailover.formation;
  CREATE OR REPLACE VIEW veza_pgha.node AS
    SELECT formationid, nodeid, groupid, nodename, nodehost, nodeport,
           goalstate::text AS goalstate, reportedstate::text AS reportedstate, reportedpgisrunning,
           reportedrepstate::text AS reportedrepstate, reporttime, reportedtli, reportedlsn, walreporttime,
           health, healthchecktime, statechangetime, candidatepriority, replicationquorum, nodecluster
      FROM pgautofailover.node;
  CREATE OR REPLACE VIEW veza_pgha.event AS
    SELECT eventid, eventtime, formationid, nodeid, groupid, nodename, nodehost, nodeport,
           reportedstate::text AS reportedstate, goalstate::text AS goalstate, reportedrepstate::text AS reportedrepstate,
           reportedtli, reportedlsn, candidatepriority, replicationquorum, description
      FROM pgautofailover.event;
  GRANT SELECT ON veza_pgha.formation, veza_pgha.node, veza_pgha.event TO grafana_pgha;
END $$;
-- LISTEN state needs no privilege.
