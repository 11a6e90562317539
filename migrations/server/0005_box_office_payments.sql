ALTER TABLE "orders" DROP CONSTRAINT "orders_payment_method";--> statement-breakpoint
ALTER TABLE "orders" ADD COLUMN "payments" jsonb;--> statement-breakpoint
ALTER TABLE "orders" ADD CONSTRAINT "orders_payment_method" CHECK ("orders"."payment_method" in ('cash', 'card', 'card_manual', 'card_terminal', 'qr_alipay', 'qr_wechat', 'qr_sbp', 'split'));