// The import boundaries are enforced by the real lint configuration: these files would break them.
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
    ['domain/sneaky.ts', "import { AdmitError } from '../electron/contract';\nexport const x = AdmitError;\n"],
    ['domain/sneaky2.ts', "import { v7 } from 'uuid';\nexport const x = v7;\n"],
    ['domain/sneaky3.ts', "import { readFileSync } from 'node:fs';\nexport const x = readFileSync;\n"],
  ])('%s breaking the boundary fails lint', async (file, code) => {
    expect(await ruleIds(file, code)).toContain('no-restricted-imports');
  });

  it.each([
    ['renderer/src/ok.ts', "import { calls } from '../../electron/contract';\nexport const x = calls;\n"],
    ['electron/main/ok.ts', "import { app } from 'electron';\nexport const x = app;\n"],
    ['electron/core/ok.ts', "import { calls } from '../contract';\nexport const x = calls;\n"],
    ['domain/ok.ts', "import { z } from 'zod';\nimport { createHmac } from 'node:crypto';\nimport { REASONS } from './rules';\nexport const x = [z, createHmac, REASONS];\n"],
  ])('%s within the rules passes', async (file, code) => {
    expect(await ruleIds(file, code)).not.toContain('no-restricted-imports');
  });
});
