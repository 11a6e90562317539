// Owns the contract's one entry: every call, event, shape and error code the UI and the core share, and
// the parts of the domain the UI uses as they are (money on screen, pricing, tender, safe display of
// untrusted text), and registration forms (domain/forms.ts) to show and check answers with.
export * from './calls';
export * from './domain';
export * from './errors';
export * from './bridge';
export * from '../../domain/money';
export * from '../../domain/pricing';
export * from '../../domain/tender';
export * from '../../domain/split-tender';
export type { OrderAttendee } from '../../domain/attendees';
export * from '../../domain/display-text';
export * from '../../domain/forms';
export { COUNTRY_CODES } from '../../domain/countries';
