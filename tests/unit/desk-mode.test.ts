// Which screen a scan goes to: the badge desk, the kiosk or the gate, by each session's latest call.
import { describe, expect, it } from 'vitest';
import { DeskMode } from '../../electron/core/badge-desk/desk-mode';

describe('DeskMode', () => {
  const signedIn = new Set(['kiosk', 'manager', 'desk']);
  const mode = () => new DeskMode((id) => signedIn.has(id));

  it("a manager reading or resolving kiosk alerts does not take the terminal's scans to the kiosk", () => {
    const m = mode();
    m.noteCall('manager', 'kiosk.alerts');
    m.noteCall('manager', 'kiosk.resolveAlert');
    expect(m.kioskSession()).toBeNull();
    expect(m.active).toBe(false);
  });

  it('the kiosk screen takes scans once it calls, and gives them back when its session moves to the gate', () => {
    const m = mode();
    m.noteCall('kiosk', 'kiosk.state');
    m.noteCall('manager', 'kiosk.alerts');
    expect(m.kioskSession()).toBe('kiosk');
    m.noteCall('kiosk', 'gate.scan');
    expect(m.kioskSession()).toBeNull();
  });

  it('the desk wins while its session is on it; a signed-out session counts for nothing', () => {
    const m = mode();
    m.noteCall('desk', 'badgeDesk.find');
    expect(m.active).toBe(true);
    m.noteCall('desk', 'session.logout');
    expect(m.active).toBe(false);
    m.noteCall('gone', 'kiosk.state');
    expect(m.kioskSession()).toBeNull();
  });
});
