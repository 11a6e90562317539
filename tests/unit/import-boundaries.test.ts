// The import boundaries are enforced by the real lint configuration: these files would break them.
// Lint sees one import at a time; tests/unit/fences.test.ts covers the complete, transitive check.
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint({ cwd: process.cwd() });
const ruleIds = async (filePath: string, code: string) => {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).map((m) => m.ruleId);
};

describe('import boundaries', () => {
  it.each([
    ['electron/core/sneaky.ts', "import { app } from 'electron';\nexport const x = app;\n"],
    ['drivers/printers/sneaky.ts', "import { ipcMain } from 'electron';\nexport const x = ipcMain;\n"],
    ['server/src/sneaky.ts', "import { BrowserWindow } from 'electron';\nexport const x = BrowserWindow;\n"],
    ['renderer/src/sneaky.ts', "import { Store } from '../../electron/core/store';\nexport const x = Store;\n"],
    ['renderer/src/modes/sneaky.ts', "import { createServer } from '../../../server/src/app';\nexport const x = createServer;\n"],
    ['renderer/src/sneaky2.ts', "import { readFileSync } from 'node:fs';\nexport const x = readFileSync;\n"],
    ['domain/sneaky.ts', "import { escpos } from '../drivers';\nexport const x = escpos;\n"],
    ['domain/codes/sneaky.ts', "import { readFileSync } from 'node:fs';\nexport const x = readFileSync;\n"],
    ['domain/sneaky2.ts', "import { v7 } from 'uuid';\nexport const x = v7;\n"],
    ['drivers/printers/sneaky.ts', "import { createServer } from '../../server/src/app';\nexport const x = createServer;\n"],
    [
      'drivers/printers/sneaky2.ts',
      "import { startEscPosSimulator } from './escpos-simulator';\nexport const x = startEscPosSimulator;\n",
    ],
    ['electron/contract/sneaky.ts', "import { REASONS } from '../../server/protocol/rules';\nexport const x = REASONS;\n"],
    ['electron/contract/sneaky2.ts', "import { Store } from '../core/store';\nexport const x = Store;\n"],
    [
      'electron/core/sneaky2.ts',
      "import { createEscPosPrinter } from '../../drivers/printers/escpos-printer';\nexport const x = createEscPosPrinter;\n",
    ],
    ['electron/core/sneaky3.ts', "import { hashPin } from '../../server/src/auth';\nexport const x = hashPin;\n"],
    ['electron/core/sneaky4.ts', "import { createPtyPair } from '../../drivers/testing/pty';\nexport const x = createPtyPair;\n"],
    ['electron/core/sneaky5.ts', "import { startDemo } from '../demo/world';\nexport const x = startDemo;\n"],
    ['server/src/sneaky2.ts', "import { Store } from '../../electron/core/store';\nexport const x = Store;\n"],
    ['electron/main/sneaky.ts', "import { Store } from '../core/store';\nexport const x = Store;\n"],
    ['electron/preload/sneaky.ts', "import { App } from '../../renderer/src/App';\nexport const x = App;\n"],
    ['domain/sneaky3.ts', "import { readFileSync } from 'node:fs';\nexport const x = readFileSync;\n"],
  ])('%s breaking the boundary fails lint', async (file, code) => {
    expect(await ruleIds(file, code)).toContain('no-restricted-imports');
  });

  it.each([
    ['renderer/src/ok.ts', "import { calls } from '../../electron/contract';\nexport const x = calls;\n"],
    ['electron/main/ok.ts', "import { app } from 'electron';\nexport const x = app;\n"],
    ['electron/core/ok.ts', "import { calls } from '../contract';\nexport const x = calls;\n"],
    [
      'electron/core/ok2.ts',
      "import { DriverError } from '../../drivers';\nimport { nextEvent } from '../../drivers/index';\nexport const x = [DriverError, nextEvent];\n",
    ],
    ['domain/ok.ts', "import { z } from 'zod';\nimport { createHash } from 'node:crypto';\nexport const x = [z, createHash];\n"],
    ['drivers/printers/ok.ts', "import type { Reason } from '../../domain/rules';\nexport type X = Reason;\n"],
    [
      'drivers/printers/ok-simulator.ts',
      "import { startEscPosSimulator } from './escpos-simulator';\nexport const x = startEscPosSimulator;\n",
    ],
    ['server/src/ok.ts', "import { decide } from '../../domain/rules';\nexport const x = decide;\n"],
    ['renderer/src/ok2.ts', "import { price } from '../../domain/pricing';\nexport const x = price;\n"],
    [
      'electron/preload/ok.ts',
      "import { contextBridge } from 'electron';\nimport { calls } from '../contract';\nexport const x = [contextBridge, calls];\n",
    ],
    ['domain/ok.ts', "import { z } from 'zod';\nimport { createHmac } from 'node:crypto';\nimport { REASONS } from './rules';\nexport const x = [z, createHmac, REASONS];\n"],
  ])('%s within the rules passes', async (file, code) => {
    expect(await ruleIds(file, code)).not.toContain('no-restricted-imports');
  });
});
