// Owns admin mode's shell: for admin operators, online only. It asks the core whether this UI holds a
// server admin session (opened with the admin's PIN at sign-in) and shows why not when it does not; with
// one, a side navigation of the sections of admin mode — one entry per section in SECTIONS — and the
// chosen section beside it.
import type { ParseKeys } from 'i18next';
import { useEffect, useState, type ComponentType } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorMessage } from '../../components/ErrorMessage';
import type { AdminStatus, CallError, SyncStatus } from '../../contract';
import { useCall } from '../../core';
import { Badges } from './Badges';
import { Events } from './Events';
import { Points } from './Points';
import { Export } from './Export';
import { Import } from './Import';
import { KioskSettings } from './KioskSettings';
import { Forms } from './Forms';
import { Messaging } from './Messaging';
import { ShiftReports } from './ShiftReports';
import { Vouchers } from './Vouchers';
import { Staff } from './Staff';
import { Terminals } from './Terminals';

type SectionId = 'staff' | 'events' | 'vouchers' | 'terminals' | 'points' | 'kiosk' | 'forms' | 'badges' | 'messaging' | 'shifts' | 'import' | 'export';
/** The sections of admin mode, in the navigation's order: a new section is one entry here (`title`: the
 *  translation key of its name). */
const SECTIONS: ReadonlyArray<{ id: SectionId; View: ComponentType; title: ParseKeys }> = [
  { id: 'staff', View: Staff, title: 'admin.sections.staff' },
  { id: 'events', View: Events, title: 'admin.sections.events' },
  { id: 'vouchers', View: Vouchers, title: 'adminBoxOffice.nav.vouchers' },
  { id: 'terminals', View: Terminals, title: 'adminTerminals.section' },
  { id: 'points', View: Points, title: 'adminPoints.section' },
  { id: 'kiosk', View: KioskSettings, title: 'adminKiosk.section' },
  { id: 'forms', View: Forms, title: 'adminForms.nav' },
  { id: 'badges', View: Badges, title: 'adminBadges.nav' },
  { id: 'messaging', View: Messaging, title: 'adminBoxOffice.nav.messaging' },
  { id: 'shifts', View: ShiftReports, title: 'adminBoxOffice.nav.shifts' },
  { id: 'import', View: Import, title: 'admin.sections.import' },
  { id: 'export', View: Export, title: 'admin.sections.export' },
];

export function Admin(props: { sync: SyncStatus | null }) {
  const { t } = useTranslation();
  const call = useCall();
  const [status, setStatus] = useState<AdminStatus | null>(null);
  const [error, setError] = useState<CallError | null>(null);
  const [section, setSection] = useState<SectionId>('staff');
  const online = props.sync?.online ?? false;

  useEffect(() => {
    let live = true;
    void call('admin.status', {}).then((r) => {
      if (!live) return;
      if (r.ok) {
        setStatus(r.value);
        setError(null);
      } else setError(r.error);
    });
    return () => {
      live = false;
    };
  }, [call, online]);

  if (error) {
    return (
      <main className="screen admin" data-testid="admin">
        <ErrorMessage error={error} testId="admin-error" />
      </main>
    );
  }
  if (!status) {
    return (
      <main className="screen admin" data-testid="admin">
        <p className="splash">{t('app.loading')}</p>
      </main>
    );
  }
  if (!online || status.state !== 'open') {
    const problem = !online ? 'offline' : (status.problem ?? 'ended');
    return (
      <main className="screen screen--centered admin" data-testid="admin">
        <div className="card">
          <h1 className="card__title">{t('admin.title')}</h1>
          <p className="message message--warning" role="alert" data-testid="admin-unavailable" data-problem={problem}>
            {t(`admin.problem.${problem}`)}
          </p>
        </div>
      </main>
    );
  }
  const current = SECTIONS.find((s) => s.id === section) ?? SECTIONS[0]!;
  return (
    <main className="screen admin admin--open" data-testid="admin">
      <nav className="card admin__nav" aria-label={t('admin.title')} data-testid="admin-nav">
        {SECTIONS.map((s) => (
          <button
            key={s.id}
            type="button"
            className={`button admin__nav-item${s.id === current.id ? ' button--primary' : ''}`}
            aria-current={s.id === current.id ? 'page' : undefined}
            data-testid="admin-nav-item"
            data-section={s.id}
            onClick={() => setSection(s.id)}
          >
            {t(s.title)}
          </button>
        ))}
      </nav>
      <div className="admin__section" data-section={current.id}>
        <current.View />
      </div>
    </main>
  );
}
