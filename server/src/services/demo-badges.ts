// Owns the badge desk's part of the demo festival: its default badge template (a CR80 card, landscape:
// name, company, title, a category band and the ticket's QR code), a template for speakers with a red
// band, the event's badge settings (the defaults), and a few pre-sold demo tickets made into attendees to
// try the desk with — company, title and category answers, a Chinese, a Russian and a 40-character Latin
// name, full phone numbers (whose last four digits are the ones the tickets already carried, so the
// feed's search digits stay as they were) and a group of three sharing one order.
import { sql } from 'drizzle-orm';
import { checkBadgeTemplate, type BadgeTemplateInput } from '../../../domain/badge-template';
import { DEFAULT_BADGE_SETTINGS } from '../../../domain/badge-wire';
import { badgeSettings, badgeTemplates, orders, tickets } from '../db/schema';
import type { ServerTx } from '../db/writes';
import { newOrderCode } from '../secrets';

export const DEMO_BADGE_TEMPLATE_IDS = {
  standard: '01900000-0000-7000-8000-00000000d501',
  speaker: '01900000-0000-7000-8000-00000000d502',
} as const;
export const DEMO_GROUP_ORDER_ID = '01900000-0000-7000-8000-00000000d401';
/** The band colour of speakers' badges. */
export const DEMO_SPEAKER_RED = '#c62828';

/** The demo tickets (by number k, all named day passes) that become badge-desk attendees. */
export const DEMO_BADGE_ATTENDEES = [
  { k: 30, name: '张三丰', company: '武当山科技有限公司', title: '首席执行官', category: 'Speaker', phone: (l4: string) => `+861380013${l4}`, email: 'zhang.sanfeng@example.com', group: false },
  { k: 50, name: 'Иванов Пётр', company: 'ООО «Ромашка»', title: 'Генеральный директор', category: 'Press', phone: (l4: string) => `+7912345${l4}`, email: 'p.ivanov@example.ru', group: false },
  { k: 70, name: 'Maximilian Alexander von Hohenberg-Lutze', company: 'Hohenberg Industrieanlagen GmbH & Co. KG', title: 'Head of International Procurement', category: 'Exhibitor', phone: (l4: string) => `+4915112${l4}`, email: 'm.hohenberg@example.de', group: false },
  { k: 90, name: 'Sophie Laurent', company: 'Acme Events', title: 'Producer', category: 'Speaker', phone: (l4: string) => `+33612345${l4}`, email: 'sophie.laurent@example.fr', group: true },
  { k: 110, name: 'Lukas Becker', company: 'Acme Events', title: 'Stage manager', category: 'Crew', phone: (l4: string) => `+4917012${l4}`, email: 'lukas.becker@example.de', group: true },
  { k: 130, name: 'Mei Tanaka', company: 'Acme Events', title: 'Designer', category: 'Attendee', phone: (l4: string) => `+8190123${l4}`, email: 'mei.tanaka@example.jp', group: true },
] as const;

/** The card both demo templates share; `band` is the category band's colour. */
function cardLayout(name: string, band: string): BadgeTemplateInput {
  const text = { font: 'Noto Sans', maxLines: 2, align: 'left' as const, uppercase: false, colour: '#000000' };
  return {
    name,
    stock: { kind: 'cr80', orientation: 'landscape' },
    dpi: 300,
    sides: 1,
    elements: [
      [
        { type: 'text', x: 4, y: 4, width: 52, height: 15, source: { kind: 'field', field: 'name' }, ...text, weight: 'bold', maxSizePt: 20, minSizePt: 9 },
        { type: 'text', x: 4, y: 20, width: 52, height: 9, source: { kind: 'field', field: 'company' }, ...text, weight: 'regular', maxSizePt: 12, minSizePt: 7 },
        { type: 'text', x: 4, y: 30, width: 52, height: 9, source: { kind: 'field', field: 'title' }, ...text, weight: 'regular', maxSizePt: 10, minSizePt: 6 },
        { type: 'code', x: 59, y: 3, width: 24, height: 36, symbology: 'qr', source: 'ticketCode', caption: true },
        {
          type: 'band',
          x: 0,
          y: 42,
          width: 85.6,
          height: 11.98,
          colour: band,
          colours: { Speaker: DEMO_SPEAKER_RED },
          label: 'category',
          font: 'Noto Sans',
          weight: 'bold',
          maxSizePt: 14,
          minSizePt: 8,
          maxLines: 1,
          align: 'center',
          uppercase: true,
          colourOfText: '#ffffff',
        },
      ],
    ],
  };
}

function checked(input: BadgeTemplateInput): unknown {
  const result = checkBadgeTemplate(input);
  if (!result.ok) throw new Error(`demo badge template ${input.name} fails its check: ${result.problems.map((p) => p.reason).join(', ')}`);
  return result.template;
}

/** The demo's templates and settings, each kept as it is when it exists already (an admin may have
 *  changed it). */
export async function seedDemoBadgeDesign(tx: ServerTx, eventId: string, now: Date): Promise<void> {
  await tx
    .insert(badgeTemplates)
    .values([
      { id: DEMO_BADGE_TEMPLATE_IDS.standard, eventId, name: 'Standard', isDefault: true, template: checked(cardLayout('Standard', '#1f2937')), updatedAt: now },
      { id: DEMO_BADGE_TEMPLATE_IDS.speaker, eventId, name: 'Speaker', categories: ['Speaker'], template: checked(cardLayout('Speaker', DEMO_SPEAKER_RED)), updatedAt: now },
    ])
    .onConflictDoNothing();
  await tx
    .insert(badgeSettings)
    .values({ eventId, ...DEFAULT_BADGE_SETTINGS, updatedAt: now })
    .onConflictDoNothing();
}

/**
 * Makes the demo tickets of DEMO_BADGE_ATTENDEES (those the seed made: k ≤ count) into the badge desk's
 * attendees. `ticketId(k)` is the id the seed gave ticket k; `phoneLast4(k)` its search digits. The group
 * is one cash order of its tickets' prices.
 */
export async function seedDemoAttendees(
  tx: ServerTx,
  eventId: string,
  count: number,
  ticketId: (k: number) => string,
  phoneLast4: (k: number) => string,
  priceOfDayPass: number,
  now: Date,
): Promise<void> {
  const chosen = DEMO_BADGE_ATTENDEES.filter((a) => a.k <= count);
  if (chosen.length === 0) return;
  const group = chosen.filter((a) => a.group);
  const orderCode = newOrderCode();
  if (group.length > 0) {
    const total = priceOfDayPass * group.length;
    await tx.insert(orders).values({
      id: DEMO_GROUP_ORDER_ID,
      code: orderCode,
      eventId,
      totalMinor: total,
      currency: 'EUR',
      paymentMethod: 'cash',
      amountMinor: total,
      createdAt: now,
    });
  }
  for (const a of chosen) {
    const last4 = phoneLast4(a.k);
    await tx
      .update(tickets)
      .set({
        attendeeName: a.name,
        company: a.company,
        title: a.title,
        phone: a.phone(last4),
        email: a.email,
        answers: { category: a.category },
        ...(a.group ? { orderId: DEMO_GROUP_ORDER_ID, orderCode, paidMinor: priceOfDayPass } : {}),
      })
      .where(sql`${tickets.id} = ${ticketId(a.k)}::uuid`);
  }
}
