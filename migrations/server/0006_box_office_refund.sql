ALTER TABLE "refunds" ADD COLUMN "payments" jsonb;--> statement-breakpoint
ALTER TABLE "refunds" ADD COLUMN "payouts" jsonb DEFAULT '[]'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "tickets" ADD COLUMN "paid_minor" integer;