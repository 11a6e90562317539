// Owns the React side of the bridge: one context holding the AdmitBridge and its connection state, and
// the hooks screens use to call the core and listen to its events. Every call goes through `useCall`, so
// a `not_logged_in` answer anywhere sends the operator back to the PIN pad in one place.
import {
  createContext,
  useCallback,
  useContext,
  useEffect,
  useEffectEvent,
  useLayoutEffect,
  useRef,
  useSyncExternalStore,
  type ReactNode,
} from 'react';
import type { ConnectionSnapshot, ConnectionStore } from './bridge';
import type { AdmitBridge, CallError, CallInput, CallName, CallOutput, EventName, EventPayload, Result } from './contract';

interface CoreContextValue {
  bridge: AdmitBridge;
  connection: ConnectionStore;
  onSessionLost: () => void;
}

const CoreContext = createContext<CoreContextValue | null>(null);

export function CoreProvider(props: {
  bridge: AdmitBridge;
  connection: ConnectionStore;
  onSessionLost: () => void;
  children: ReactNode;
}) {
  const { bridge, connection, onSessionLost, children } = props;
  return <CoreContext value={{ bridge, connection, onSessionLost }}>{children}</CoreContext>;
}

function useCore(): CoreContextValue {
  const core = useContext(CoreContext);
  if (!core) throw new Error('useCore outside <CoreProvider>');
  return core;
}

export type Call = <K extends CallName>(name: K, input: CallInput<K>) => Promise<Result<CallOutput<K>>>;

/** A stable function that calls the core and never throws: transport failures become coded errors. */
export function useCall(): Call {
  const { bridge, onSessionLost } = useCore();
  const lost = useRef(onSessionLost);
  useLayoutEffect(() => {
    lost.current = onSessionLost;
  }, [onSessionLost]);
  return useCallback<Call>(
    async (name, input) => {
      let result: Result<CallOutput<typeof name>>;
      try {
        result = await bridge.call(name, input);
      } catch (err) {
        console.error('[core] call', name, 'threw', err);
        return { ok: false, error: { code: 'internal', detail: 'bridge threw' } };
      }
      if (!result.ok && result.error.code === 'not_logged_in') lost.current();
      return result;
    },
    [bridge],
  );
}

/** Subscribes to a pushed event for the lifetime of the component; the latest listener is always used. */
export function useEvent<K extends EventName>(event: K, listener: (payload: EventPayload<K>) => void): void {
  const { bridge } = useCore();
  const onEvent = useEffectEvent(listener);
  useEffect(() => bridge.on(event, (payload) => onEvent(payload)), [bridge, event]);
}

export function useConnection(): ConnectionSnapshot {
  const { connection } = useCore();
  return useSyncExternalStore(connection.subscribe, connection.getSnapshot);
}

export function useShell(): AdmitBridge['shell'] {
  return useCore().bridge.shell;
}

export type { CallError };
