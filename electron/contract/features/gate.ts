// Owns the gate slice of the contract: scanning a code, the recent verdicts, finding a ticket by other
// means and admitting it, annulling a check-in, the terminal's check-in point, and every verdict pushed
// (hardware scanners included), and that a verdict is being checked with the server.
import { z } from 'zod';
import { CheckInPoint, TicketMatch, Verdict } from '../domain';
import { call, Empty } from '../spec';

/** Scanned codes are bounded: no legitimate ticket code is longer. */
export const MAX_CODE_LENGTH = 512;

export const gateCalls = {
  'gate.scan': call({
    input: z.object({ code: z.string().min(1).max(MAX_CODE_LENGTH) }).strict(),
    output: Verdict,
    roles: ['gate', 'manager'],
  }),
  'gate.recent': call({
    input: z.object({ limit: z.number().int().min(1).max(200) }).strict(),
    output: z.array(Verdict),
    roles: ['gate', 'manager'],
  }),
  'gate.search': call({
    input: z.object({ query: z.string().min(2).max(80) }).strict(),
    output: z.array(TicketMatch),
    roles: ['gate', 'manager'],
  }),
  'gate.admitTicket': call({
    input: z.object({ ticketId: z.string().uuid() }).strict(),
    output: Verdict,
    roles: ['gate', 'manager'],
  }),
  'gate.annul': call({
    input: z.object({ checkinId: z.string().uuid() }).strict(),
    output: z.object({ checkinId: z.string().uuid(), annulled: z.literal(true) }),
    roles: ['gate', 'manager'],
  }),
  'gate.points': call({
    input: Empty,
    output: z.object({ points: z.array(CheckInPoint), current: z.string().uuid().nullable() }),
    roles: ['gate', 'manager', 'admin'],
  }),
  'gate.setPoint': call({
    input: z.object({ pointId: z.string().uuid() }).strict(),
    output: CheckInPoint,
    roles: ['manager', 'admin'],
  }),
} as const;

export const gateEvents = {
  'scan.verdict': Verdict,
  /** A scan's admission is being claimed at the server: show "checking…" until its `scan.verdict`
   *  (same scanId) arrives, at most the claim's bound (about 2 s). */
  'gate.checking': z.object({ scanId: z.string().uuid(), at: z.string() }),
} as const;
