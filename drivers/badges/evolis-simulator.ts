// Owns a simulated Evolis card printer (black ribbon, 300 dpi): parses the raw command stream, answers
// every command with a CR-ended text (OK, or the error it is in: COVER OPEN, FEEDER EMPTY, CARD JAM,
// ERROR RIBBON; ERROR CDE / ERROR PARAMETRES for what it does not understand), reassembles the k panel
// of each card into a landscape PNG when the sequence ends (Se), and answers Rse;f with feeder volts.
import { hex } from '../bytes';
import { PrinterSimulator, type DeviceSession, type PrinterSimulatorOptions, type SimError } from '../printers/printer-simulator';
import { CR, EvolisParser, MONO_PANEL_BYTES, cardFromPanel, type EvolisCommand } from './evolis';

export interface CardJob {
  id: number;
  /** Each command's text in order (downloads as "Db;k;2;<n bytes>"). */
  commands: string[];
  /** Panels downloaded per side: front ('r') and back ('v'). */
  sides: ('front' | 'back')[];
  png: Buffer;
  /** The back side, when one was printed. */
  backPng?: Buffer;
  pngPath?: string;
  errors: SimError[];
  receivedAt: Date;
}

export interface EvolisState {
  coverOpen: boolean;
  feederEmpty: boolean;
  cardJam: boolean;
  ribbonError: boolean;
}

// Commands accepted without effect on the simulated card, with their parameter counts.
const SETTINGS: Record<string, number[]> = {
  Pem: [1],
  Pr: [1],
  Pmi: [2],
  Pc: [3],
  Psmgr: [1],
  Pcim: [1],
  Pcem: [1],
  Pneab: [1],
  Si: [0],
  Rfv: [0],
  Rsn: [0],
  Rtp: [0],
  Rkn: [0],
  Rlr: [1],
  Rco: [1],
  Rse: [1],
  Ss: [0],
  Sr: [0],
  Sv: [0],
  Se: [0],
};

export class EvolisSimulator extends PrinterSimulator<CardJob> {
  #state: EvolisState = { coverOpen: false, feederEmpty: false, cardJam: false, ribbonError: false };
  #mute = false;

  constructor(options: PrinterSimulatorOptions = {}) {
    super(options, 'evolis-');
  }

  set(state: Partial<EvolisState>): void {
    this.#state = { ...this.#state, ...state };
  }
  setMute(mute: boolean): void {
    this.#mute = mute;
  }
  /** Go into `state` right after accepting the next Ss (a card jams or the feeder runs dry mid-card). */
  failNextCard(state: Partial<EvolisState>): void {
    this.#failNext = state;
  }
  #failNext: Partial<EvolisState> | null = null;

  #error(): string | null {
    const s = this.#state;
    return s.coverOpen ? 'COVER OPEN' : s.cardJam ? 'CARD JAM' : s.ribbonError ? 'ERROR RIBBON' : s.feederEmpty ? 'FEEDER EMPTY' : null;
  }

  protected createSession(reply: (bytes: Uint8Array) => void): DeviceSession {
    const parser = new EvolisParser();
    let inSequence = false;
    let side: 'front' | 'back' = 'front';
    let panels: { front?: Buffer; back?: Buffer } = {};
    let commands: string[] = [];
    let errors: SimError[] = [];
    const answer = (text: string) => {
      if (!this.#mute) reply(Buffer.concat([Buffer.from(text, 'latin1'), Buffer.from([CR])]));
    };
    const err = (reason: string, raw: Uint8Array) => errors.push({ reason, hex: hex(raw, 48) });

    const handle = (cmd: EvolisCommand) => {
      if (cmd.op === 'unknown') {
        err(cmd.reason, cmd.raw);
        answer('ERROR CDE');
        return;
      }
      if (cmd.op === 'download') {
        commands.push(`Db;${cmd.panel};${cmd.levels};<${cmd.data.length} bytes>`);
        if (!inSequence) {
          err('download outside a sequence (no Ss)', cmd.raw.subarray(0, 8));
          answer('ERROR CDE');
        } else if (cmd.panel !== 'k' || cmd.levels !== 2 || cmd.data.length !== MONO_PANEL_BYTES) {
          err(`panel ${cmd.panel} with ${cmd.levels} levels is not simulated (black ribbon only)`, cmd.raw.subarray(0, 8));
          answer('ERROR PARAMETRES');
        } else {
          panels[side] = cmd.data;
          answer('OK');
        }
        return;
      }
      const text = [cmd.name, ...cmd.params].join(';');
      commands.push(text);
      const counts = SETTINGS[cmd.name];
      if (!counts) {
        err(`unknown command ${cmd.name}`, cmd.raw);
        answer('ERROR CDE');
        return;
      }
      if (!counts.includes(cmd.params.length)) {
        err(`${cmd.name} with ${cmd.params.length} parameters`, cmd.raw);
        answer('ERROR PARAMETRES');
        return;
      }
      const fault = this.#error();
      switch (cmd.name) {
        case 'Pc': {
          const v = Number(cmd.params[2]);
          if (cmd.params[1] !== '=' || !Number.isInteger(v) || v < 0 || v > 20) {
            err(`contrast ${cmd.params.join(';')}`, cmd.raw);
            answer('ERROR PARAMETRES');
            return;
          }
          answer('OK');
          return;
        }
        case 'Rse':
          if (cmd.params[0] === 'f') answer(this.#state.feederEmpty ? '0,00 Volts' : '5,00 Volts');
          else answer('OK');
          return;
        case 'Pem':
          // With errors handed to the host, a printer in error says so to whatever it is asked.
          answer(fault ?? 'OK');
          return;
        case 'Ss':
          if (fault) return answer(fault);
          inSequence = true;
          side = 'front';
          panels = {};
          answer('OK');
          if (this.#failNext) {
            this.set(this.#failNext);
            this.#failNext = null;
          }
          return;
        case 'Sr':
        case 'Sv':
          side = cmd.name === 'Sv' ? 'back' : 'front';
          answer(inSequence ? 'OK' : 'ERROR CDE');
          return;
        case 'Se': {
          if (!inSequence) {
            err('Se without Ss', cmd.raw);
            answer('ERROR CDE');
            return;
          }
          inSequence = false;
          if (fault) {
            err(`printer in error (${fault}): no card was printed`, cmd.raw);
            answer(fault);
          } else if (!panels.front) {
            err('sequence ended without a front panel: a blank card', cmd.raw);
            answer('OK');
          } else answer('OK');
          const front = panels.front ? cardFromPanel(panels.front) : null;
          this.recordJob({
            commands,
            sides: (['front', 'back'] as const).filter((s) => panels[s]),
            png: (front ?? cardFromPanel(new Uint8Array(MONO_PANEL_BYTES))).toPng(),
            ...(panels.back ? { backPng: cardFromPanel(panels.back).toPng() } : {}),
            errors,
          });
          commands = [];
          errors = [];
          return;
        }
        default:
          answer('OK');
      }
    };
    return {
      push: (chunk) => {
        for (const cmd of parser.push(chunk)) handle(cmd);
      },
      end: () => {
        for (const cmd of parser.end()) handle(cmd);
        if (errors.length) this.recordJob({ commands, sides: [], png: cardFromPanel(new Uint8Array(MONO_PANEL_BYTES)).toPng(), errors });
      },
    };
  }
}

export async function startEvolisSimulator(options: PrinterSimulatorOptions & { port?: number } = {}): Promise<EvolisSimulator> {
  return new EvolisSimulator(options).listen(options.port ?? 0);
}
