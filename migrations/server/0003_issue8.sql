CREATE TABLE "audit_breaks" (
	"id" uuid PRIMARY KEY NOT NULL,
	"chain" text NOT NULL,
	"seq" bigint,
	"kind" text NOT NULL,
	"detail" text NOT NULL,
	"detected_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "audit_chains" (
	"chain" text PRIMARY KEY NOT NULL,
	"head_seq" bigint DEFAULT 0 NOT NULL,
	"head_hash" text NOT NULL,
	"breaks" integer DEFAULT 0 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "audit_entries" (
	"chain" text NOT NULL,
	"seq" bigint NOT NULL,
	"id" text NOT NULL,
	"at" text NOT NULL,
	"device_id" text,
	"operator_id" text,
	"action" text NOT NULL,
	"subject" text,
	"detail" text NOT NULL,
	"prev_hash" text NOT NULL,
	"hash" text NOT NULL,
	"hash_ok" boolean NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "audit_entries_chain_seq_pk" PRIMARY KEY("chain","seq")
);
--> statement-breakpoint
CREATE INDEX "audit_breaks_chain_idx" ON "audit_breaks" USING btree ("chain","detected_at");--> statement-breakpoint
CREATE INDEX "audit_entries_received_idx" ON "audit_entries" USING btree ("received_at");--> statement-breakpoint
-- custom:audit
CREATE FUNCTION "audit_append_only"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% is append-only', TG_TABLE_NAME;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER "audit_entries_append_only" BEFORE UPDATE OR DELETE ON "audit_entries" FOR EACH ROW EXECUTE FUNCTION "audit_append_only"();
--> statement-breakpoint
CREATE TRIGGER "audit_breaks_append_only" BEFORE UPDATE OR DELETE ON "audit_breaks" FOR EACH ROW EXECUTE FUNCTION "audit_append_only"();
