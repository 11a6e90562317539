// Owns the request and response shapes of admin sessions (POST/DELETE /v1/admin-sessions) and of the staff
// list (GET /admin/v1/operators) as the server uses them; they are the wire's (domain/admin-session.ts),
// which the terminal's admin module reads with the same schemas.
export {
  ADMIN_SESSION_HEADER,
  CloseAdminSessionResponse,
  OpenAdminSessionRequest,
  OpenAdminSessionResponse,
  StaffListResponse,
  StaffOperator,
} from '../../../domain/admin-session';
