// Owns the core's side of admin mode's badge designer: an event's badge templates, settings and sample
// attendees read from and written to the server's admin API through this UI's admin session, the one
// check of a layout (domain/badge-template.ts) before anything is sent, the preview drawn by the core's
// one badge renderer (the colour image at the template's dpi, or the very image this terminal's badge
// printer gets), and a test print of a saved template on that printer through the durable print queue.
import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import { AdmitError, type AdminBadgesCall, type AdminBadgeTemplate, type BadgeTemplateIssue, type PrintOutcome } from '../../contract';
import {
  AdminBadgesResponse,
  BadgeSettingsSaved,
  BadgeTemplateDeleted,
  BadgeTemplateRefusal,
  BadgeTemplateSaved,
  type BadgeSample,
} from '../../../domain/badge-wire';
import { BADGE_TEMPLATE_REASONS, checkBadgeTemplate, type BadgeTemplateProblem } from '../../../domain/badge-template';
import { AdminEventsResponse } from '../../../domain/wire';
import { badgeAsPrinted, DriverError, renderBadgeBlock, type BadgeImages, type PrintBlock, type PrintDocument } from '../../../drivers';
import type { CoreModule } from '../dispatcher';
import { printerKinds, type DeviceConfig, type PrinterConfig } from '../devices/config';
import { AdminServerRefusal, type AdminServerClient } from './server-client';

type BadgesReply = z.infer<typeof AdminBadgesResponse>;

/** What the designer's test print and printer preview need of this terminal's devices. */
export interface AdminBadgePrinting {
  /** Prints through the durable queue (devices module); never throws. */
  print(items: readonly { kind: 'badge'; doc: PrintDocument }[]): Promise<PrintOutcome>;
  /** The terminal's device configuration now. */
  devices(): readonly DeviceConfig[];
}

/** The terminal's badge printer: the first configured printer whose kinds include 'badge'. */
export function badgePrinterOf(devices: readonly DeviceConfig[]): PrinterConfig | null {
  return devices.find((c): c is PrinterConfig => c.kind === 'printer' && printerKinds(c).includes('badge')) ?? null;
}

export const issuesOfProblems = (problems: readonly BadgeTemplateProblem[]): BadgeTemplateIssue[] =>
  problems.map((p) => ({ reason: p.reason, ...(p.side !== undefined ? { side: p.side } : {}), ...(p.index !== undefined ? { index: p.index } : {}), detail: p.detail }));

/** A drawing the renderer refused (text that does not fit, a code too dense) as the layout's issue. */
function renderIssue(e: unknown): BadgeTemplateIssue[] {
  if (e instanceof DriverError && e.code === 'bad_document') return [{ reason: 'invalid', detail: e.message }];
  throw e;
}

type BadgeBlock = Extract<PrintBlock, { type: 'badge' }>;
type BadgeBlockAttendee = BadgeBlock['attendee'];
type Side = { png: string; width: number; height: number };

/** The sample attendee as a badge block shows them. */
function attendeeOf(sample: BadgeSample, ticketTypeName: string | undefined): BadgeBlockAttendee {
  return {
    name: sample.name,
    ...(sample.company ? { company: sample.company } : {}),
    ...(sample.title ? { title: sample.title } : {}),
    ...(sample.category ? { category: sample.category } : {}),
    ...(ticketTypeName ? { ticketType: ticketTypeName } : {}),
    ticketCode: sample.code,
    badgeId: sample.code,
  };
}

const asSides = (images: BadgeImages): Side[] => images.sides.map((side) => ({ png: side.png.toString('base64'), width: side.width, height: side.height }));

export function adminBadgesHandlers(server: AdminServerClient, printing?: AdminBadgePrinting): CoreModule<AdminBadgesCall>['handlers'] {
  /** Per event: its samples and ticket type names as last read (previews come many a second). */
  const known = new Map<string, { samples: BadgeSample[]; ticketTypes: Map<string, string> }>();

  const readBadges = (sessionId: string, eventId: string): Promise<BadgesReply> =>
    server.request(sessionId, 'GET', `/admin/v1/events/${eventId}/badges`, undefined, AdminBadgesResponse);

  async function remember(sessionId: string, eventId: string, reply?: BadgesReply) {
    const [badges, catalog] = await Promise.all([
      reply ?? readBadges(sessionId, eventId),
      server.request(sessionId, 'GET', '/admin/v1/events', undefined, AdminEventsResponse),
    ]);
    const event = catalog.events.find((e) => e.id === eventId);
    const entry = { samples: badges.samples, ticketTypes: new Map((event?.ticketTypes ?? []).map((t) => [t.id, t.name.en ?? Object.values(t.name)[0] ?? ''])) };
    known.set(eventId, entry);
    return entry;
  }

  /** The sample `key` of the event as a badge shows them; not_found when the event has none such. */
  async function sampleOf(sessionId: string, eventId: string, key: string): Promise<BadgeBlockAttendee> {
    const cached = known.get(eventId);
    const entry = cached?.samples.some((s) => s.key === key) ? cached : await remember(sessionId, eventId);
    const sample = entry.samples.find((s) => s.key === key);
    if (!sample) throw new AdmitError('not_found', `no sample ${key}`);
    // A sample without a ticket type (the fixed names) shows the event's first one.
    const typeName = (sample.ticketTypeId ? entry.ticketTypes.get(sample.ticketTypeId) : undefined) ?? [...entry.ticketTypes.values()][0];
    return attendeeOf(sample, typeName);
  }

  function badgePrinter(): PrinterConfig {
    const printer = printing ? badgePrinterOf(printing.devices()) : null;
    if (!printer) throw new AdmitError('no_badge_printer', 'no printer of this terminal takes badges');
    return printer;
  }

  return {
    'admin.badges.list': async ({ eventId }, ctx) => {
      const reply = await readBadges(ctx.sessionId, eventId);
      await remember(ctx.sessionId, eventId, reply).catch(() => undefined);
      return reply;
    },
    'admin.badges.save': async ({ eventId, id, name, ticketTypeIds, categories, isDefault, template, baseVersion }, ctx) => {
      const checked = checkBadgeTemplate(template);
      if (!checked.ok) return { template: null, issues: issuesOfProblems(checked.problems) };
      const body = { eventId, name, ticketTypeIds, categories, isDefault, template: checked.template, ...(baseVersion !== undefined ? { baseVersion } : {}) };
      try {
        const reply = await server.request(ctx.sessionId, 'PUT', `/admin/v1/badge-templates/${id ?? randomUUID()}`, body, BadgeTemplateSaved);
        return { template: reply.template as AdminBadgeTemplate, issues: [] };
      } catch (e) {
        if (e instanceof AdminServerRefusal && e.status === 422) {
          const problems = BadgeTemplateRefusal.safeParse(e.body);
          if (problems.success) return { template: null, issues: problems.data.problems.map((p) => ({ ...p, reason: badgeReason(p.reason) })) };
        }
        if (e instanceof AdminServerRefusal && e.status === 409) throw new AdmitError('server_rejected', 'conflict');
        throw e;
      }
    },
    'admin.badges.delete': async ({ eventId, id }, ctx) =>
      server.request(ctx.sessionId, 'DELETE', `/admin/v1/badge-templates/${id}?eventId=${encodeURIComponent(eventId)}`, undefined, BadgeTemplateDeleted),
    'admin.badges.settings': async ({ eventId, ...settings }, ctx) =>
      server.request(ctx.sessionId, 'PUT', `/admin/v1/events/${eventId}/badge-settings`, settings, BadgeSettingsSaved),
    'admin.badges.preview': async ({ eventId, template, sample, asPrinted, locale }, ctx) => {
      const checked = checkBadgeTemplate(template);
      if (!checked.ok) return { sides: [], issues: issuesOfProblems(checked.problems) };
      const attendee = await sampleOf(ctx.sessionId, eventId, sample);
      try {
        const block: BadgeBlock = { type: 'badge', template: checked.template, attendee, locale };
        const sides = asPrinted ? asSides(badgeAsPrinted(badgePrinter(), block)) : asSides(renderBadgeBlock(block));
        return { sides, issues: [] };
      } catch (e) {
        return { sides: [], issues: renderIssue(e) };
      }
    },
    'admin.badges.testPrint': async ({ eventId, templateId, sample, locale }, ctx) => {
      const printer = badgePrinter();
      const { templates } = await readBadges(ctx.sessionId, eventId);
      const saved = templates.find((t) => t.id === templateId);
      if (!saved) throw new AdmitError('not_found', 'no such template');
      const checked = checkBadgeTemplate(saved.template);
      if (!checked.ok) throw new AdmitError('invalid_input', checked.problems.map((p) => `${p.reason}: ${p.detail}`).join('; '));
      const attendee = await sampleOf(ctx.sessionId, eventId, sample);
      const block: BadgeBlock = { type: 'badge', template: checked.template, attendee, locale };
      let sides: Side[];
      try {
        sides = asSides(badgeAsPrinted(printer, block));
      } catch (e) {
        throw new AdmitError('invalid_input', e instanceof Error ? e.message : String(e));
      }
      const print = await printing!.print([{ kind: 'badge', doc: { blocks: [block] } }]);
      return { sides, print };
    },
  };
}

/** A reason the server named, as one the screens translate ('invalid' for one this version lacks). */
function badgeReason(reason: string): BadgeTemplateIssue['reason'] {
  return (BADGE_TEMPLATE_REASONS as readonly string[]).includes(reason) ? (reason as BadgeTemplateIssue['reason']) : 'invalid';
}
