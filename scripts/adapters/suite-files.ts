// What a complete run of the suite holds, read from the app profile and the smoke folders: the verdict's expected evidence.
import fs from 'node:fs';
import path from 'node:path';
import type { AppConfig } from '../config/app-config.ts';
import { CONFIGURED_SMOKE_SPECS, PROBE_CHECK, SMOKE_SPEC_DIRS } from '../contract.ts';
import type { ExpectedEvidence } from '../engine/verdict/index.ts';

/** Hand-written smoke specs (relative, with "/"), as Playwright's JSON report names their files. */
export function handWrittenSmokeSpecs(root: string, dirs: readonly string[] = SMOKE_SPEC_DIRS): string[] {
  const out: string[] = [];
  for (const dir of dirs) {
    const abs = path.join(root, dir);
    if (!fs.existsSync(abs)) continue;
    for (const name of fs.readdirSync(abs).sort()) {
      const rel = `${dir}/${name}`;
      if (name.endsWith('.spec.ts') && !CONFIGURED_SMOKE_SPECS.includes(rel)) out.push(rel);
    }
  }
  return out;
}

/** The probe, every configured smoke check by its name, and every hand-written smoke spec. */
export function expectedEvidence(app: Pick<AppConfig, 'smoke'>, root: string, dirs: readonly string[] = SMOKE_SPEC_DIRS): ExpectedEvidence {
  return { smokeChecks: [PROBE_CHECK, ...app.smoke.map((c) => c.name)], smokeSpecs: handWrittenSmokeSpecs(root, dirs) };
}
