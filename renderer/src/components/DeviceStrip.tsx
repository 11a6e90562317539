// Owns the live view of the terminal's devices: the list from `devices.list`, kept current by
// `device.status` events and re-read whenever the link to the core comes back; each device's state,
// why (its translated reason), and for scanners and ID readers their failed reads.
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CallError, DeviceStatus } from '../contract';
import { useCall, useConnection, useEvent } from '../core';
import { ErrorMessage } from './ErrorMessage';

const healthy = new Set<DeviceStatus['state']>(['connected', 'registered', 'busy']);
const warning = new Set<DeviceStatus['state']>(['connecting', 'paper_low']);

function tone(state: DeviceStatus['state']): 'ok' | 'warn' | 'bad' {
  return healthy.has(state) ? 'ok' : warning.has(state) ? 'warn' : 'bad';
}

export function DeviceStrip(props: { variant?: 'strip' | 'list' }) {
  const variant = props.variant ?? 'strip';
  const { t } = useTranslation();
  const call = useCall();
  const { generation } = useConnection();
  const [devices, setDevices] = useState<DeviceStatus[] | null>(null);
  const [error, setError] = useState<CallError | null>(null);

  useEffect(() => {
    let live = true;
    void call('devices.list', {}).then((result) => {
      if (!live) return;
      if (result.ok) {
        setDevices(result.value);
        setError(null);
      } else {
        setError(result.error);
      }
    });
    return () => {
      live = false;
    };
  }, [call, generation]);

  useEvent('device.status', (status) => {
    setDevices((current) => {
      const list = current ?? [];
      const at = list.findIndex((d) => d.id === status.id);
      if (at < 0) return [...list, status];
      const next = list.slice();
      next[at] = status;
      return next;
    });
  });

  return (
    <section className={`devices devices--${variant}`} data-testid="device-strip" aria-label={t('devices.title')}>
      {variant === 'list' && <h2 className="section-title">{t('devices.title')}</h2>}
      <ErrorMessage error={error} testId="devices-error" />
      {devices && devices.length === 0 && (
        <p className="devices__none" data-testid="devices-none">
          {t('devices.none')}
        </p>
      )}
      <ul className="devices__list">
        {devices?.map((device) => (
          <li
            key={device.id}
            className={`device device--${tone(device.state)}`}
            data-testid="device"
            data-device-id={device.id}
            data-kind={device.kind}
            data-state={device.state}
            data-reason={device.reason ?? ''}
            data-faults-recent={device.faults?.recent ?? ''}
            data-faults-total={device.faults?.total ?? ''}
          >
            <span className="device__dot" aria-hidden="true" />
            <span className="device__kind">{t(`devices.kind.${device.kind}`)}</span>
            <span className="device__name">{device.name}</span>
            <span className="device__state">{t(`devices.state.${device.state}`)}</span>
            {device.reason && (
              <span className="device__reason" data-testid="device-reason">
                {t(`devices.reason.${device.reason}`)}
              </span>
            )}
            {device.faults && device.faults.total > 0 && (
              <span className="device__faults" data-testid="device-faults">
                {t('devices.faults', { recent: device.faults.recent, total: device.faults.total })}
              </span>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
