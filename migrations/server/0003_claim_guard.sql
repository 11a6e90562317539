CREATE TABLE "ticket_versions" (
	"ticket_id" uuid PRIMARY KEY NOT NULL,
	"version" bigint NOT NULL
);
