// The drivers' two entries: the public one (drivers/index.ts), which is all production code may
// import, reaches no simulator, simulated link or test support through any chain of imports; the
// simulators' entry (drivers/simulators.ts) has them; and every protocol in the registry is one the
// public entry can open.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { listProtocols, openContext } from '../../drivers';
import * as simulators from '../../drivers/simulators';

const root = resolve(__dirname, '../..');
const SPECIFIER = /(?:\bfrom\s*|\bimport\s*\(?\s*)['"]([^'"]+)['"]/g;

/** Every project file reachable from `entry` through static, type-only and dynamic imports. */
function reachable(entry: string): Set<string> {
  const seen = new Set<string>();
  const stack = [resolve(root, entry)];
  while (stack.length > 0) {
    const file = stack.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    for (const [, spec] of readFileSync(file, 'utf8').matchAll(SPECIFIER)) {
      if (!spec!.startsWith('.')) continue; // a package
      const base = resolve(dirname(file), spec!);
      const candidates = [`${base}.ts`, join(base, 'index.ts'), base];
      const found = candidates.find((c) => {
        try {
          return readFileSync(c) && c.endsWith('.ts');
        } catch {
          return false;
        }
      });
      if (!found) throw new Error(`${relative(root, file)} imports '${spec}', which does not resolve`);
      stack.push(found);
    }
  }
  return new Set([...seen].map((f) => relative(root, f)));
}

/** Source files under `dir` (relative to the repository). */
function walk(dir: string): string[] {
  return readdirSync(resolve(root, dir), { withFileTypes: true, recursive: true })
    .filter((d) => d.isFile() && /\.(ts|mts|mjs)$/.test(d.name))
    .map((d) => relative(root, join(d.parentPath, d.name)));
}

const SIMULATION = /(-simulator|\/simulated|-simulated|\/testing\/|cups-sandbox|simulators)\.ts$|\/testing\//;

describe('drivers entries', () => {
  it('the public entry reaches no simulator, simulated link or test support', () => {
    const files = reachable('drivers/index.ts');
    expect(files.size).toBeGreaterThan(40);
    expect([...files].filter((f) => SIMULATION.test(f))).toEqual([]);
    // And it does reach every protocol's driver.
    expect(files).toContain('drivers/registry.ts');
  });

  it('the assembled core reaches no simulator', () => {
    const files = [...reachable('electron/core/core.ts')];
    expect(files).toContain('drivers/index.ts');
    expect(files.filter((f) => SIMULATION.test(f))).toEqual([]);
  });

  it('the core and the scripts import the drivers only through an entry: the simulators one only in demo mode and scripts', () => {
    const sources = [...walk('electron/core'), ...walk('scripts')];
    expect(sources.length).toBeGreaterThan(10);
    for (const f of sources) {
      const specs = [...readFileSync(resolve(root, f), 'utf8').matchAll(SPECIFIER)].map((m) => m[1]!).filter((s) => /(^|\/)drivers(\/|$)/.test(s));
      for (const spec of specs) {
        const target = relative(root, resolve(root, dirname(f), spec));
        if (target === 'drivers/simulators') expect(/(^|\/)demo|^scripts\//.test(f), `${f} imports the simulators`).toBe(true);
        else expect(target, `${f} imports ${spec}`).toBe('drivers');
      }
    }
  });

  it('the simulators entry has the simulators and the simulated links', () => {
    expect(typeof simulators.startScannerSimulator).toBe('function');
    expect(typeof simulators.createSimulatedHidPair).toBe('function');
    expect(typeof simulators.createSimulatedBulkPair).toBe('function');
    expect(typeof simulators.createPtyPair).toBe('function');
  });

  it('every registered protocol has settings, an open and a description', () => {
    const all = listProtocols();
    expect(all.map((p) => p.driver)).toEqual(expect.arrayContaining(['serial-scanner', 'hid-pos-scanner', 'wiegand', 'sam-serial', 'sam-usb', 'mrz', 'lcus', 'dcttech', 'modbus-rtu', 'modbus-tcp', 'escpos', 'star', 'fgl', 'tspl', 'zpl']));
    expect(new Set(all.map((p) => p.driver)).size).toBe(all.length);
    for (const p of all) {
      expect(typeof p.definition.open).toBe('function');
      expect(typeof p.definition.describe).toBe('function');
      expect(p.definition.class).toBe(p.kind);
    }
    expect(openContext().reconnect).toEqual({});
  });
});
