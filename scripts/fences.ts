// Owns `npm run fences`: runs the layer fences of .dependency-cruiser.cjs over the tree with
// dependency-cruiser and fails on any violation that .fences-known.json does not list, and on any
// listed one that is gone (the list may only shrink). `--prune` drops the gone ones from the list.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { cruise, type ICruiseResult, type IViolation } from 'dependency-cruiser';
import extractDepcruiseOptions from 'dependency-cruiser/config-utl/extract-depcruise-options';
import extractTSConfig from 'dependency-cruiser/config-utl/extract-ts-config';

/** The folders whose imports are checked; missing ones (e.g. domain/ before it exists) are skipped. */
export const FENCED_ROOTS = ['domain', 'drivers', 'electron', 'server', 'renderer', 'scripts', 'bench'];
export const CONFIG_FILE = '.dependency-cruiser.cjs';
export const KNOWN_FILE = '.fences-known.json';

/** One broken fence: `from` imports `to`, directly or through other files. */
export interface Violation {
  rule: string;
  from: string;
  to: string;
  /** `from` imports `to` itself (not only through other files). */
  direct: boolean;
  /** One chain of imports from `from` to `to`. */
  via: string[];
}

/** An entry of .fences-known.json: a violation that is allowed for now because its fix is under way. */
export interface KnownViolation {
  rule: string;
  from: string;
  to: string;
  direct: boolean;
}

export interface FenceReport {
  violations: Violation[];
  /** Violations not in the known list: these fail the build. */
  unexpected: Violation[];
  /** Known entries that no longer occur: these fail the build too, until removed from the list. */
  stale: KnownViolation[];
}

export const violationKey = (v: { rule: string; from: string; to: string }) => `${v.rule}\u0000${v.from}\u0000${v.to}`;

/** Every violation of the fences in the tree at `root`, using the dependency-cruiser config there. */
export async function cruiseFences(root: string, roots = FENCED_ROOTS, configFile = CONFIG_FILE): Promise<Violation[]> {
  const options = await extractDepcruiseOptions(resolve(root, configFile));
  const tsConfigName = options.tsConfig?.fileName;
  const tsConfigFile = tsConfigName ? (isAbsolute(tsConfigName) ? tsConfigName : resolve(root, tsConfigName)) : undefined;
  const existing = roots.filter((dir) => existsSync(join(root, dir)));
  const { output } = await cruise(
    existing,
    { ...options, baseDir: root, ...(tsConfigFile ? { tsConfig: { fileName: tsConfigFile } } : {}), outputType: 'json' },
    {},
    tsConfigFile ? { tsConfig: extractTSConfig(tsConfigFile) } : {},
  );
  const result = (typeof output === 'string' ? JSON.parse(output) : output) as ICruiseResult;
  const imports = new Map(result.modules.map((m) => [m.source, new Set(m.dependencies.map((d) => d.resolved))]));
  return result.summary.violations
    .filter((v: IViolation) => v.rule.severity === 'error')
    .map((v: IViolation) => ({
      rule: v.rule.name,
      from: v.from,
      to: v.to,
      direct: imports.get(v.from)?.has(v.to) ?? false,
      via: (v.via ?? []).map((step) => step.name),
    }))
    .sort((a, b) => (violationKey(a) < violationKey(b) ? -1 : 1));
}

export function readKnown(root: string, knownFile = KNOWN_FILE): KnownViolation[] {
  const path = resolve(root, knownFile);
  if (!existsSync(path)) return [];
  return (JSON.parse(readFileSync(path, 'utf8')) as { knownViolations: KnownViolation[] }).knownViolations;
}

/** Writes the known list one entry a line, grouped by rule, so a diff shows exactly what went. */
export function writeKnown(root: string, known: KnownViolation[], knownFile = KNOWN_FILE): void {
  const sorted = [...known].sort((a, b) => (violationKey(a) < violationKey(b) ? -1 : 1));
  const lines = sorted.map((k) => `    ${JSON.stringify({ rule: k.rule, from: k.from, to: k.to, direct: k.direct })}`);
  const text =
    '{\n' +
    '  "comment": "Fence violations accepted while a layer is being moved. npm run fences fails on any violation not listed here and on any listed one that is gone, so the list may only shrink. Never add to it.",\n' +
    `  "knownViolations": [\n${lines.join(',\n')}\n  ]\n}\n`;
  writeFileSync(resolve(root, knownFile), text);
}

export async function checkFences(
  root: string,
  roots = FENCED_ROOTS,
  configFile = CONFIG_FILE,
  knownFile = KNOWN_FILE,
): Promise<FenceReport> {
  const violations = await cruiseFences(root, roots, configFile);
  const known = readKnown(root, knownFile);
  const knownKeys = new Set(known.map(violationKey));
  const foundKeys = new Set(violations.map(violationKey));
  return {
    violations,
    unexpected: violations.filter((v) => !knownKeys.has(violationKey(v))),
    stale: known.filter((k) => !foundKeys.has(violationKey(k))),
  };
}

function describe(v: Violation): string {
  const chain = v.direct ? '' : `\n      via ${v.via.join(' → ')}`;
  return `  ${v.from} → ${v.to}${chain}`;
}

async function main(): Promise<number> {
  const root = process.cwd();
  const report = await checkFences(root);
  if (process.argv.includes('--prune') && report.stale.length > 0) {
    const gone = new Set(report.stale.map(violationKey));
    writeKnown(
      root,
      readKnown(root).filter((k) => !gone.has(violationKey(k))),
    );
    console.log(`fences: removed ${report.stale.length} fixed violation(s) from ${KNOWN_FILE}`);
    report.stale = [];
  }
  const byRule = new Map<string, Violation[]>();
  for (const v of report.unexpected) byRule.set(v.rule, [...(byRule.get(v.rule) ?? []), v]);
  for (const [rule, list] of byRule) console.error(`\n✖ ${rule} (${list.length})\n${list.map(describe).join('\n')}`);
  if (report.stale.length > 0) {
    console.error(
      `\n✖ ${report.stale.length} violation(s) listed in ${KNOWN_FILE} no longer occur; remove them (npm run fences -- --prune):`,
    );
    for (const k of report.stale) console.error(`  ${k.rule}: ${k.from} → ${k.to}`);
  }
  const known = report.violations.length - report.unexpected.length;
  if (report.unexpected.length > 0 || report.stale.length > 0) {
    console.error(
      `\nfences: ${report.unexpected.length} new violation(s), ${report.stale.length} stale known one(s) (${known} known, see ${KNOWN_FILE})`,
    );
    return 1;
  }
  console.log(`fences: no new violations (${known} known, listed in ${KNOWN_FILE})`);
  return 0;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  process.exitCode = await main();
}
