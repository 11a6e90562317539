// Owns how failures become the protocol's ApiError replies: one code, one HTTP status, an optional
// human detail. Services throw ApiFailure; the app's error handler is the only place that replies.
import type { z } from 'zod';
import type { ApiError, ApiErrorCode } from '../../domain/wire';

const STATUS: Record<ApiErrorCode, number> = {
  bad_request: 400,
  unauthorized: 401,
  token_revoked: 401,
  pairing_code_invalid: 401,
  forbidden: 403,
  forbidden_event: 403,
  forbidden_point: 403,
  not_found: 404,
  unknown_ticket_type: 404,
  replayed_request: 409,
  stale_request: 409,
  sold_out: 409,
  duplicate_order: 409,
  ticket_type_inactive: 409,
  session_inactive: 409,
  not_on_sale: 409,
  sale_ended: 409,
  channel_not_allowed: 409,
  over_order_limit: 409,
  conflict: 409,
  event_has_tickets: 409,
  import_refused: 409,
  payload_too_large: 413,
  implausible_time: 400,
  rate_limited: 429,
  admin_session_ended: 401,
  bad_pin: 401,
  operator_locked: 429,
  last_admin: 409,
  invalid_email: 400,
  invalid_phone: 400,
  delivery_not_configured: 409,
  voucher_unknown: 404,
  voucher_expired: 409,
  voucher_not_yet_valid: 409,
  voucher_used_up: 409,
  voucher_not_applicable: 409,
  voucher_over_order_limit: 409,
  attendee_field_required: 400,
  attendee_field_invalid: 400,
  lease_not_held: 409,
  refund_not_allowed: 409,
  refund_window_closed: 409,
  exchange_not_allowed: 409,
  refund_too_large: 409,
  duplicate_refund: 409,
  approval_required: 403,
  badge_template_invalid: 422,
  internal: 500,
};

export class ApiFailure extends Error {
  readonly status: number;
  constructor(
    readonly code: ApiErrorCode,
    readonly detail?: string,
  ) {
    super(detail ? `${code}: ${detail}` : code);
    this.name = 'ApiFailure';
    this.status = STATUS[code];
  }

  body(): ApiError {
    return { error: this.detail === undefined ? { code: this.code } : { code: this.code, detail: this.detail } };
  }
}

/** Parses with a zod schema; a mismatch is a 400 whose detail names each offending path. */
export function parseOr400<S extends z.ZodType>(schema: S, value: unknown): z.infer<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const detail = result.error.issues
    .slice(0, 10)
    .map((issue) => `${issue.path.length ? issue.path.join('.') : '(body)'}: ${issue.message}`)
    .join('; ');
  throw new ApiFailure('bad_request', detail);
}
