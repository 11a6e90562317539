// Owns zod's global configuration for the renderer. It must be the first import of main.tsx: zod 4
// compiles object parsers with `new Function` unless told not to, and our CSP has no 'unsafe-eval' — the
// probe alone would be reported as a securitypolicyviolation.
import { z } from 'zod';

z.config({ jitless: true });
