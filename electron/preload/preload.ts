// Owns `window.admit` in Electron: the one bridge object, built from the contract's names. Each call
// has its own IPC channel; no ipcRenderer, no generic send, nothing else crosses into the page.
import { contextBridge, ipcRenderer } from 'electron';
import { isCallName, eventNames, type AdmitBridge, type EventName } from '../contract';

const listeners = new Map<EventName, Set<(payload: unknown) => void>>();
ipcRenderer.on('admit:event', (_e, name: EventName, payload: unknown) => {
  listeners.get(name)?.forEach((l) => l(payload));
});

const bridge: AdmitBridge = {
  shell: 'electron',
  call: (name, input) => {
    if (!isCallName(name)) return Promise.resolve({ ok: false, error: { code: 'unknown_call' } }) as never;
    return ipcRenderer.invoke(`admit:call:${name}`, input) as never;
  },
  on: (event, listener) => {
    if (!eventNames.includes(event)) return () => undefined;
    const set = listeners.get(event) ?? new Set();
    set.add(listener as (p: unknown) => void);
    listeners.set(event, set);
    return () => set.delete(listener as (p: unknown) => void);
  },
};

contextBridge.exposeInMainWorld('admit', bridge);
