// Owns what the terminal says about itself to a UI (the app slice of the contract): version, shell,
// demo mode and the modes it offers.
import type { AppCall, Mode } from '../../contract';
import type { CoreModule } from '../dispatcher';

export type AppInfo = { version: string; shell: 'electron' | 'service'; demo: boolean; modes: Mode[] };

export function appModule(info: AppInfo): CoreModule<AppCall> {
  return { name: 'app', handlers: { 'app.info': () => ({ ...info, modes: [...info.modes] }) } };
}
