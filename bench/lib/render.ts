// Renders the sections: numbers with their unit, median (min–max), ratios with the issue's targets; a console table and Markdown.
import { SECTION_TITLES, targetMet, type Row, type SectionResult, type Table, type Unit } from './model.ts';
import type { Stat } from './stats.ts';

export function formatValue(v: number, unit: Unit): string {
  switch (unit) {
    case 'ms':
      return Math.abs(v) < 1000 ? `${Math.round(v)} ms` : `${(v / 1000).toFixed(2)} s`;
    case 'kB':
      return `${Math.round(v / 1024)} MB`;
    case 'bytes':
      return v < 1024 * 1024 ? `${(v / 1024).toFixed(1)} kB` : `${(v / 1024 / 1024).toFixed(1)} MB`;
    case 'count':
      return Number.isInteger(v) ? String(v) : v.toFixed(1);
  }
}

/** "1.85 s (1.70–2.10)"; a single sample without the range; "—" when nothing was measured. */
export function formatStat(s: Stat | undefined, unit: Unit): string {
  if (!s) return '—';
  const m = formatValue(s.median, unit);
  return s.n === 1 || s.min === s.max ? m : `${m} (${formatValue(s.min, unit)}–${formatValue(s.max, unit)})`;
}

export function formatRatio(s: Stat | undefined): string {
  if (!s) return '—';
  const r = (x: number) => `${x.toFixed(2)}×`;
  return s.n === 1 || s.min === s.max ? r(s.median) : `${r(s.median)} (${r(s.min)}–${r(s.max)})`;
}

function metText(row: Row): string {
  const met = targetMet(row);
  if (!row.target) return '';
  return `${row.target.text}: ${met === undefined ? 'not measured' : met ? 'met' : '**not met**'}`;
}

const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

function markdownTable(head: readonly string[], rows: readonly (readonly string[])[]): string[] {
  return [
    `| ${head.map(cell).join(' | ')} |`,
    `|${head.map(() => '---').join('|')}|`,
    ...rows.map((r) => `| ${r.map(cell).join(' | ')} |`),
  ];
}

export function sectionMarkdown(section: SectionResult['section'], parts: readonly SectionResult[]): string[] {
  const lines = [`### ${section}. ${SECTION_TITLES[section]}`, ''];
  const rows = parts.flatMap((p) => p.rows);
  if (rows.length) {
    lines.push(
      ...markdownTable(
        ['Measured', 'aftercheck', 'Floor', 'Floor value', 'Ratio (per pair)', 'Target', 'Expected (written before running)'],
        rows.map((r) => [
          r.what + (r.note ? ` (${r.note})` : ''),
          formatStat(r.value, r.unit),
          r.floorName,
          formatStat(r.floor, r.unit),
          formatRatio(r.ratio),
          metText(r),
          r.expected,
        ]),
      ),
      '',
    );
  }
  for (const t of parts.flatMap((p) => p.tables)) lines.push(...tableMarkdown(t), '');
  for (const n of parts.flatMap((p) => p.notes)) lines.push(`- ${n}`);
  if (parts.some((p) => p.notes.length)) lines.push('');
  return lines;
}

export function tableMarkdown(t: Table): string[] {
  return [`**${t.title}**`, '', ...markdownTable(t.head, t.rows), ...(t.note ? ['', t.note] : [])];
}

/** The console's version: one line per headline row. */
export function consoleLines(results: readonly SectionResult[]): string[] {
  const lines: string[] = [];
  for (const section of [1, 2, 3, 4, 5] as const) {
    const rows = results.filter((r) => r.section === section).flatMap((r) => r.rows);
    if (!rows.length) continue;
    lines.push(`\n${section}. ${SECTION_TITLES[section]}`);
    const width = Math.min(60, Math.max(...rows.map((r) => r.what.length)));
    for (const r of rows) {
      const what = r.what.length > width ? `${r.what.slice(0, width - 1)}…` : r.what.padEnd(width);
      const target = metText(r).replace(/\*\*/g, '');
      lines.push(
        `  ${what}  ${formatStat(r.value, r.unit)}  vs ${r.floorName} ${formatStat(r.floor, r.unit)}  = ${formatRatio(r.ratio)}${target ? `  [${target}]` : ''}`,
      );
      if (r.note) lines.push(`  ${' '.repeat(width)}  ${r.note}`);
    }
  }
  return lines;
}
