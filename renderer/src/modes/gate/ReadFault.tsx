// Owns the gate's short notice that a scan or ID read failed at one of this terminal's scanners or ID
// readers ("could not read — scan again"), from `device.readFault` events: one line per device, naming
// its lane, shown for a few seconds and gone sooner when that device's next verdict arrives. The
// device's status (the device strip) counts the fault; this only asks the holder to try again.
import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ReadFaultEvent } from '../../contract';
import { useEvent } from '../../core';

/** How long a notice stays up (display only: nothing depends on it). */
const SHOW_MS = 4000;

export function ReadFault() {
  const { t } = useTranslation();
  const [faults, setFaults] = useState<ReadFaultEvent[]>([]);
  const timers = useRef(new Map<string, ReturnType<typeof setTimeout>>());

  const drop = useCallback((deviceId: string) => {
    const timer = timers.current.get(deviceId);
    if (timer !== undefined) clearTimeout(timer);
    timers.current.delete(deviceId);
    setFaults((list) => (list.some((f) => f.deviceId === deviceId) ? list.filter((f) => f.deviceId !== deviceId) : list));
  }, []);

  useEvent('device.readFault', (fault) => {
    const timer = timers.current.get(fault.deviceId);
    if (timer !== undefined) clearTimeout(timer);
    timers.current.set(
      fault.deviceId,
      setTimeout(() => drop(fault.deviceId), SHOW_MS),
    );
    setFaults((list) => [fault, ...list.filter((f) => f.deviceId !== fault.deviceId)]);
  });

  // A verdict from that device means its next read worked: the notice has done its job.
  useEvent('scan.verdict', (verdict) => {
    if (verdict.deviceId) drop(verdict.deviceId);
  });

  useEffect(() => {
    const pending = timers.current;
    return () => {
      for (const timer of pending.values()) clearTimeout(timer);
      pending.clear();
    };
  }, []);

  if (faults.length === 0) return null;
  return (
    <ul className="read-faults" role="alert" data-testid="read-faults">
      {faults.map((f) => (
        <li
          key={f.deviceId}
          className="read-fault message message--warning"
          data-testid="read-fault"
          data-device-id={f.deviceId}
          data-lane={f.lane ?? ''}
          data-fault={f.fault}
        >
          <span className="read-fault__title">
            <span aria-hidden="true">⚠ </span>
            {t(`readFault.${f.deviceKind}`)}
          </span>
          <span className="read-fault__where">
            {[f.lane !== null ? t('readFault.lane', { lane: f.lane }) : null, f.deviceName, t(`readFault.kind.${f.fault}`)].filter(Boolean).join(' · ')}
          </span>
        </li>
      ))}
    </ul>
  );
}
