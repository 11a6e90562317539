-- Re-stamp `seq` from the global change sequence on every update of a replicated row, so that
-- "changes since N" also returns rows that were edited (not only inserted) after N. Inserts take
-- their seq from the column default. Kept as a trigger so no code path can forget it.
CREATE FUNCTION "bump_change_seq"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.seq := nextval('change_seq');
  RETURN NEW;
END
$$;
--> statement-breakpoint
CREATE TRIGGER "events_bump_change_seq" BEFORE UPDATE ON "events" FOR EACH ROW EXECUTE FUNCTION "bump_change_seq"();
--> statement-breakpoint
CREATE TRIGGER "ticket_types_bump_change_seq" BEFORE UPDATE ON "ticket_types" FOR EACH ROW EXECUTE FUNCTION "bump_change_seq"();
--> statement-breakpoint
CREATE TRIGGER "tickets_bump_change_seq" BEFORE UPDATE ON "tickets" FOR EACH ROW EXECUTE FUNCTION "bump_change_seq"();
--> statement-breakpoint
CREATE TRIGGER "checkins_bump_change_seq" BEFORE UPDATE ON "checkins" FOR EACH ROW EXECUTE FUNCTION "bump_change_seq"();
--> statement-breakpoint
CREATE TRIGGER "operators_bump_change_seq" BEFORE UPDATE ON "operators" FOR EACH ROW EXECUTE FUNCTION "bump_change_seq"();
