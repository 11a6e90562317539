// Owns the badge as a configured printer prints it, for the designer's and the desk's previews:
// badgeAsPrinted(config, block) runs the same code print() runs (the printer protocol's badge output,
// then badgeSidesFor) and answers the very images that printer is sent — 1-bit for a card, label or
// receipt printer, colour for the OS queue's PDF — so the preview equals the printed job pixel for
// pixel; renderBadgeBlock draws the colour preview at the template's dpi. Pure: no device is opened.
import type { z } from 'zod';
import { DriverError } from '../errors';
import type { BadgeBlock } from '../printers/document';
import { protocolFor } from '../registry';
import { badgeSidesFor, prepareBadgeBlock, type BadgeOutput } from './badge-output';
import type { BadgeLocale } from '../../domain/badge-template';

/** A printer's configuration as the devices configuration has it: its protocol and that protocol's settings. */
export type PrinterConfig = { kind: 'printer'; driver: string } & Record<string, unknown>;

export interface BadgeImages {
  /** Front, then back for a two-sided template. */
  sides: { width: number; height: number; png: Buffer }[];
}

/** The badge output of a configured printer, or a coded error when it does not print badges. */
export function printerBadgeOutput(config: PrinterConfig): BadgeOutput {
  const def = protocolFor('printer', config.driver);
  if (!def) throw new DriverError('bad_config', `no printer protocol '${config.driver}'`);
  if (!def.badge) throw new DriverError('bad_document', `${config.driver} printers do not print badges`);
  // Only the settings given are read; a missing one takes its default, as when the printer is opened.
  const settings: Record<string, unknown> = {};
  const given: Record<string, unknown> = config;
  for (const [key, schema] of Object.entries(def.settings)) {
    const r = (schema as z.ZodType).safeParse(given[key]);
    if (r.success) settings[key] = r.data;
    else if (given[key] !== undefined) throw new DriverError('bad_config', `${config.driver} setting ${key}: ${r.error.issues[0]?.message ?? 'invalid'}`);
  }
  return def.badge(settings as never);
}

/**
 * The images a printer configuration ({ kind: 'printer', driver, ...settings }, as the devices
 * configuration has it) is sent for a badge block: exactly print()'s. Throws 'bad_document' naming
 * what cannot be printed, as print() would before sending anything.
 */
export function badgeAsPrinted(config: PrinterConfig, block: BadgeBlock): BadgeImages {
  const output = printerBadgeOutput(config);
  return { sides: badgeSidesFor(output, prepareBadgeBlock(block)).map((s) => ({ width: s.width, height: s.height, png: s.png() })) };
}

/** The colour preview of a badge block at its template's dpi, one PNG per side. */
export function renderBadgeBlock(block: BadgeBlock, options: { locale?: BadgeLocale } = {}): BadgeImages {
  const badge = prepareBadgeBlock(options.locale ? { ...block, locale: options.locale } : block);
  return { sides: badgeSidesFor({ kind: 'page' }, badge).map((s) => ({ width: s.width, height: s.height, png: s.rendered.png() })) };
}
