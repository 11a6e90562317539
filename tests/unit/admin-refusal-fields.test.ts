// The server's 400 detail read as the fields it names, so admin mode's screens can mark them: its
// schema's issues ("path: message; …") and its own checks ("value: a percentage is at most 100");
// a refusal that names no field gives none.
import { describe, expect, it } from 'vitest';
import { issuesOf } from '../../electron/core/admin/box-office';

describe('issuesOf', () => {
  it('reads each path the server named', () => {
    expect(issuesOf('value: a percentage is at most 100')).toEqual([{ path: 'value', message: 'a percentage is at most 100' }]);
    expect(issuesOf('validUntil: the validity must end after it begins; ticketTypeIds.0: Invalid UUID')).toEqual([
      { path: 'validUntil', message: 'the validity must end after it begins' },
      { path: 'ticketTypeIds.0', message: 'Invalid UUID' },
    ]);
    expect(issuesOf('(body): Unrecognized key: "x"')).toEqual([{ path: '', message: 'Unrecognized key: "x"' }]);
  });

  it('names no field for a sentence that is not one', () => {
    expect(issuesOf('a password is never sent over a plain connection: choose tls or starttls')).toEqual([]);
    expect(issuesOf('the simulated SMS provider runs on this machine only (127.0.0.1)')).toEqual([]);
  });
});
