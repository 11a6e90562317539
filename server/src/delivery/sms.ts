// Owns the SMS provider port: one text to one number, answered as sent, refused for good, or "try
// later" (the sender retries). The one implementation here speaks the simulated provider's HTTP API
// (sms-simulator.ts, demo and tests); a real gateway is another SmsProvider with the same outcomes.
import type { SmsProviderSettings } from './settings';

export type SmsOutcome = { kind: 'sent'; providerId: string } | { kind: 'rejected'; reason: string } | { kind: 'temporary'; reason: string };

export interface SmsProvider {
  send(message: { to: string; from: string; text: string; id: string }): Promise<SmsOutcome>;
}

const SEND_TIMEOUT_MS = 30_000;

/** The simulated provider: POST {to, from, text, id} as JSON; 200 {id} sent, 4xx refused, 5xx/429 later. */
export class SimulatedSmsProvider implements SmsProvider {
  constructor(private readonly settings: Pick<SmsProviderSettings, 'url' | 'apiKey'>) {}

  async send(message: { to: string; from: string; text: string; id: string }): Promise<SmsOutcome> {
    let res: Response;
    try {
      res = await fetch(this.settings.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(this.settings.apiKey ? { authorization: `Bearer ${this.settings.apiKey}` } : {}) },
        body: JSON.stringify(message),
        signal: AbortSignal.timeout(SEND_TIMEOUT_MS),
      });
    } catch (e) {
      return { kind: 'temporary', reason: e instanceof Error ? e.name : 'unreachable' };
    }
    const body = (await res.json().catch(() => null)) as { id?: unknown; error?: unknown } | null;
    if (res.ok) return { kind: 'sent', providerId: typeof body?.id === 'string' ? body.id : message.id };
    const reason = typeof body?.error === 'string' ? body.error.slice(0, 100) : `http_${res.status}`;
    if (res.status === 429 || res.status >= 500) return { kind: 'temporary', reason };
    return { kind: 'rejected', reason };
  }
}

export function smsProviderOf(settings: SmsProviderSettings): SmsProvider {
  switch (settings.provider) {
    case 'simulated':
      return new SimulatedSmsProvider(settings);
  }
}
