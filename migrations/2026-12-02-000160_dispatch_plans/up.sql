-- Dispatch claims due recipients `ORDER BY not_before, id`. Recipients launched together
-- share one `not_before`, so an index on `not_before` alone left PostgreSQL to read and sort
-- every queued recipient of the campaign for each claim (200 ms for 100,000 queued): the
-- index now holds the whole order, and a claim reads only the rows it takes.
DROP INDEX campaign_recipients_due;
CREATE INDEX campaign_recipients_due ON campaign_recipients (org_id, campaign_id, not_before, id)
    WHERE status = 'queued';

-- Fresh planner statistics after a bulk write (a launch's frozen audience, a large contact
-- import), for the server's role, which owns no table and so cannot ANALYZE: until
-- autovacuum's next pass PostgreSQL believes the organization holds the rows it held
-- before, and reads the whole organization where a few index probes would do (a dispatch
-- batch's 400 recipients took 300 ms instead of 5). Only the tables named here; the
-- statistics stay behind row-level security for every role (`pg_stats` hides them).
CREATE FUNCTION app_refresh_statistics(relation text) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public
    AS $$
BEGIN
    IF relation NOT IN ('campaign_recipients', 'contacts') THEN
        RAISE EXCEPTION 'no statistics refresh for %', relation;
    END IF;
    EXECUTE format('ANALYZE %I', relation);
END
$$;
