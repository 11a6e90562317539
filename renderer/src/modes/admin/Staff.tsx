// Owns admin mode's Staff section: the operators at the server (name, role, active), creating one (name,
// role, PIN typed twice), and for each: rename, change role, reset PIN, disable or re-enable; and this
// terminal's wrong-PIN lockouts (Lockouts, shared with the manager mode). The core and the server decide
// what is allowed; errors show their translated code.
import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorMessage } from '../../components/ErrorMessage';
import { SafeText } from '../../components/SafeText';
import { Role, type CallError, type StaffMember } from '../../contract';
import { useCall } from '../../core';
import { Lockouts } from '../manager/Lockouts';

const ROLES = Role.options;
const PIN_PATTERN = /^\d{6,8}$/;

type Pending = { kind: 'create' } | { kind: 'edit'; id: string };
type OperatorDraft = { name: string; role: Role; pin: string; pin2: string };

export function Staff() {
  const { t } = useTranslation();
  const call = useCall();
  const [staff, setStaff] = useState<StaffMember[] | null>(null);
  const [listError, setListError] = useState<CallError | null>(null);
  const [generation, setGeneration] = useState(0);
  const [editing, setEditing] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    void call('admin.operators.list', {}).then((r) => {
      if (!live) return;
      if (r.ok) {
        setStaff(r.value);
        setListError(null);
      } else setListError(r.error);
    });
    return () => {
      live = false;
    };
  }, [call, generation]);

  const changed = (message: string) => {
    setDone(message);
    setEditing(null);
    setGeneration((g) => g + 1);
  };

  return (
    <div className="staff" data-testid="staff">
      <section className="card">
        <h2 className="section-title">{t('admin.staff.title')}</h2>
        <ErrorMessage error={listError} testId="staff-error" />
        {done !== null && (
          <p className="message message--ok" role="status" data-testid="staff-done">
            {done}
          </p>
        )}
        {staff !== null && staff.length === 0 && <p data-testid="staff-empty">{t('admin.staff.empty')}</p>}
        {staff !== null && staff.length > 0 && (
          <table className="table" data-testid="staff-list">
            <thead>
              <tr>
                <th>{t('admin.staff.name')}</th>
                <th>{t('admin.staff.role')}</th>
                <th>{t('admin.staff.state')}</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {staff.map((op) => (
                <StaffRow
                  key={op.id}
                  op={op}
                  editing={editing === op.id}
                  onEdit={() => setEditing(editing === op.id ? null : op.id)}
                  onChanged={changed}
                />
              ))}
            </tbody>
          </table>
        )}
      </section>
      <CreateOperator onCreated={(name) => changed(t('admin.staff.created', { name }))} />
      <Lockouts />
    </div>
  );
}

function StaffRow(props: { op: StaffMember; editing: boolean; onEdit: () => void; onChanged: (message: string) => void }) {
  const { t } = useTranslation();
  const call = useCall();
  const { op } = props;
  const [error, setError] = useState<CallError | null>(null);
  const [busy, setBusy] = useState<Pending | null>(null);

  async function setActive(active: boolean) {
    setBusy({ kind: 'edit', id: op.id });
    setError(null);
    const r = await call('admin.operators.update', { operatorId: op.id, active });
    setBusy(null);
    if (r.ok) props.onChanged(t(active ? 'admin.staff.enabled' : 'admin.staff.disabled', { name: r.value.name }));
    else setError(r.error);
  }

  return (
    <>
      <tr data-testid="staff-row" data-operator-id={op.id} data-role={op.role} data-active={String(op.active)}>
        <td data-testid="staff-name">
          <SafeText text={op.name} />
        </td>
        <td>{t(`admin.roles.${op.role}`)}</td>
        <td>{op.active ? t('admin.staff.active') : t('admin.staff.inactive')}</td>
        <td className="staff__actions">
          <button type="button" className="button" data-testid="staff-edit" onClick={props.onEdit}>
            {t('admin.staff.edit')}
          </button>
          <button
            type="button"
            className="button"
            data-testid={op.active ? 'staff-disable' : 'staff-enable'}
            disabled={busy !== null}
            onClick={() => void setActive(!op.active)}
          >
            {op.active ? t('admin.staff.disable') : t('admin.staff.enable')}
          </button>
          <ErrorMessage error={error} testId="staff-row-error" />
        </td>
      </tr>
      {props.editing && (
        <tr>
          <td colSpan={4}>
            <EditOperator op={op} onChanged={props.onChanged} />
          </td>
        </tr>
      )}
    </>
  );
}

function EditOperator(props: { op: StaffMember; onChanged: (message: string) => void }) {
  const { t } = useTranslation();
  const call = useCall();
  const { op } = props;
  const [draft, setDraft] = useState<OperatorDraft>({ name: op.name, role: op.role, pin: '', pin2: '' });
  const [error, setError] = useState<CallError | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function save(e: FormEvent) {
    e.preventDefault();
    setProblem(null);
    setError(null);
    const { name, role, pin, pin2 } = draft;
    const patch: { name?: string; role?: Role; pin?: string } = {};
    if (name.trim() !== op.name) patch.name = name.trim();
    if (role !== op.role) patch.role = role;
    if (pin !== '' || pin2 !== '') {
      if (!PIN_PATTERN.test(pin)) return setProblem(t('admin.staff.pinRule'));
      if (pin !== pin2) return setProblem(t('admin.staff.pinMismatch'));
      patch.pin = pin;
    }
    if (patch.name === '' ) return setProblem(t('admin.staff.nameRequired'));
    if (Object.keys(patch).length === 0) return setProblem(t('admin.staff.nothingChanged'));
    setBusy(true);
    const r = await call('admin.operators.update', { operatorId: op.id, ...patch });
    setBusy(false);
    if (r.ok) props.onChanged(t('admin.staff.saved', { name: r.value.name }));
    else setError(r.error);
  }

  return (
    <form className="staff-form" data-testid="staff-edit-form" onSubmit={(e) => void save(e)}>
      <OperatorFields testId="staff-edit" pinLabel="admin.staff.newPin" draft={draft} onChange={setDraft} problem={problem} error={error} />
      <button type="submit" className="button button--primary" data-testid="staff-edit-save" disabled={busy}>
        {t('admin.staff.save')}
      </button>
    </form>
  );
}

function CreateOperator(props: { onCreated: (name: string) => void }) {
  const { t } = useTranslation();
  const call = useCall();
  const [draft, setDraft] = useState<OperatorDraft>({ name: '', role: 'cashier', pin: '', pin2: '' });
  const [error, setError] = useState<CallError | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function create(e: FormEvent) {
    e.preventDefault();
    setProblem(null);
    setError(null);
    const { name, role, pin, pin2 } = draft;
    if (name.trim() === '') return setProblem(t('admin.staff.nameRequired'));
    if (!PIN_PATTERN.test(pin)) return setProblem(t('admin.staff.pinRule'));
    if (pin !== pin2) return setProblem(t('admin.staff.pinMismatch'));
    setBusy(true);
    const r = await call('admin.operators.create', { name: name.trim(), role, pin });
    setBusy(false);
    if (!r.ok) return setError(r.error);
    setDraft((d) => ({ ...d, name: '', pin: '', pin2: '' }));
    props.onCreated(r.value.name);
  }

  return (
    <section className="card">
      <h2 className="section-title">{t('admin.staff.create')}</h2>
      <form className="staff-form" data-testid="staff-create" onSubmit={(e) => void create(e)}>
        <OperatorFields testId="staff-create" pinLabel="admin.staff.pin" draft={draft} onChange={setDraft} problem={problem} error={error} />
        <button type="submit" className="button button--primary" data-testid="staff-create-submit" disabled={busy}>
          {t('admin.staff.createButton')}
        </button>
      </form>
    </section>
  );
}

/** The operator fields the create and edit forms share (name, role, PIN twice), with the form's
 *  problem and error; every test id is the form's `testId` followed by the field. */
function OperatorFields(props: {
  testId: 'staff-create' | 'staff-edit';
  pinLabel: 'admin.staff.pin' | 'admin.staff.newPin';
  draft: OperatorDraft;
  onChange: (draft: OperatorDraft) => void;
  problem: string | null;
  error: CallError | null;
}) {
  const { t } = useTranslation();
  const { testId, draft, onChange } = props;
  const set = (field: Partial<OperatorDraft>) => onChange({ ...draft, ...field });
  return (
    <>
      <label>
        {t('admin.staff.name')}
        <input data-testid={`${testId}-name`} value={draft.name} maxLength={80} onChange={(e) => set({ name: e.target.value })} />
      </label>
      <label>
        {t('admin.staff.role')}
        <select data-testid={`${testId}-role`} value={draft.role} onChange={(e) => set({ role: e.target.value as Role })}>
          {ROLES.map((r) => (
            <option key={r} value={r}>
              {t(`admin.roles.${r}`)}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t(props.pinLabel)}
        <input data-testid={`${testId}-pin`} type="password" inputMode="numeric" autoComplete="off" value={draft.pin} onChange={(e) => set({ pin: e.target.value })} />
      </label>
      <label>
        {t('admin.staff.pinAgain')}
        <input data-testid={`${testId}-pin2`} type="password" inputMode="numeric" autoComplete="off" value={draft.pin2} onChange={(e) => set({ pin2: e.target.value })} />
      </label>
      {props.problem !== null && (
        <p className="message message--error" role="alert" data-testid={`${testId}-problem`}>
          {props.problem}
        </p>
      )}
      <ErrorMessage error={props.error} testId={`${testId}-error`} />
    </>
  );
}
