// One run's section of bench/RESULTS.md: what it measured on (machine, commit, load), the targets at a glance, then sections 1–5.
import type { Machine } from './machine.ts';
import { SECTION_TITLES, targetMet, type SectionResult } from './model.ts';
import { formatRatio, formatStat, sectionMarkdown } from './render.ts';

export interface RunInfo {
  readonly label: string;
  readonly machine: Machine;
  readonly quick: boolean;
  readonly rounds: number;
  readonly load: { readonly start: string; readonly end: string; readonly sections: readonly string[] };
  readonly minutes: number;
  readonly results: readonly SectionResult[];
  /** Sections that threw, by id, with the error. */
  readonly failures: readonly string[];
}

function targets(results: readonly SectionResult[]): string[] {
  const rows = results.flatMap((r) => r.rows).filter((r) => r.target);
  if (!rows.length) return [];
  return [
    '| Target (issue 13) | Measured | Ratio | Met |',
    '|---|---|---|---|',
    ...rows.map((r) => {
      const met = targetMet(r);
      return `| ${r.what}: ${r.target!.text} | ${formatStat(r.value, r.unit)} | ${formatRatio(r.ratio)} | ${met === undefined ? 'not measured' : met ? 'met' : '**not met**'} |`;
    }),
    '',
  ];
}

export function renderRun(r: RunInfo): string {
  const m = r.machine;
  const lines = [
    `## ${r.label} · commit ${m.commit} · ${m.date}`,
    '',
    `- Machine: ${m.cpus}, ${m.memory}; Node ${m.node}; ${m.chromium}; @playwright/test ${m.playwright}; ${m.influxd}.`,
    `- Mode: ${r.quick ? 'quick (few rounds, small data: the numbers only show the harness works)' : `full, ${r.rounds} alternating rounds after one warm-up round`}; took ${r.minutes.toFixed(1)} min.`,
    `- Contention: ${r.load.start} at the start, ${r.load.end} at the end; the 1-minute load as each section began: ${r.load.sections.join(', ')}. Other people's tests share the machine: alternating rounds put the contention on both sides of each ratio, but absolute times are slower than on a quiet machine.`,
    '',
    ...targets(r.results),
  ];
  for (const section of [1, 2, 3, 4, 5] as const) {
    const parts = r.results.filter((x) => x.section === section);
    if (parts.length) lines.push(...sectionMarkdown(section, parts));
    else
      lines.push(
        `### ${section}. ${SECTION_TITLES[section]}`,
        '',
        r.failures.length ? 'Not measured: not selected (`--only`), or failed (see Failures).' : 'Not selected in this run (`--only`).',
        '',
      );
  }
  if (r.failures.length) lines.push('### Failures', '', ...r.failures.map((f) => `- ${f.split('\n').slice(0, 4).join(' ')}`), '');
  return lines.join('\n');
}
