// Pure SVG line chart of one health signal: current vs baseline on a shared "minutes since window start" axis, limit, deploy marker.
import type { Outcome, SamplePoint } from '../../engine/types.ts';

export interface ChartInput {
  readonly title: string;
  readonly unit: string;
  readonly current: readonly SamplePoint[];
  readonly baseline: readonly SamplePoint[];
  /** ISO start of each window: both series are drawn as minutes since their own window start, so they overlay. */
  readonly currentStart: string;
  readonly baselineStart: string;
  /** Length of the current window, so the axis shows the whole period even when data is short. */
  readonly windowMs?: number;
  readonly deployedAt: string | null;
  /** The absolute fail limit, drawn as a horizontal line. */
  readonly limit: number | null;
  readonly outcome?: Outcome;
  readonly width?: number;
  readonly height?: number;
}

const COLORS = { current: '#1f6fd1', baseline: '#7a7a7a', limit: '#d62728', deploy: '#2e8b57', axis: '#333333', grid: '#e4e4e4' };
const OUTCOME_COLORS: Record<Outcome, string> = { pass: '#2e8b57', warn: '#c98a00', fail: '#d62728', inconclusive: '#7a7a7a' };

/** Escapes text for XML content and attribute values; drops characters XML 1.0 forbids. */
export function escapeXml(s: string): string {
  return s
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

/** "Nice" tick values (1, 2, 5 × 10^k) covering [min, max]. */
export function niceTicks(min: number, max: number, count = 5): number[] {
  if (!(max > min)) return [min];
  const raw = (max - min) / Math.max(1, count);
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? 10 * mag;
  const ticks: number[] = [];
  for (let v = Math.ceil(min / step) * step; v <= max + step * 1e-9 && ticks.length < 50; v += step) ticks.push(Number(v.toPrecision(12)));
  return ticks;
}

function fmt(v: number): string {
  const a = Math.abs(v);
  if (a === 0) return '0';
  if (a >= 1000) return v.toFixed(0);
  if (a >= 10) return String(Number(v.toFixed(1)));
  if (a >= 1) return String(Number(v.toFixed(2)));
  return String(Number(v.toPrecision(2)));
}

type XY = { x: number; y: number | null };

function toXY(points: readonly SamplePoint[], start: string): XY[] {
  const t0 = Date.parse(start);
  return points
    .map((p) => ({ x: (Date.parse(p.t) - t0) / 60_000, y: p.v !== null && Number.isFinite(p.v) ? p.v : null }))
    .filter((p) => Number.isFinite(p.x))
    .sort((a, b) => a.x - b.x);
}

/** Path with gaps: an empty interval (null) breaks the line instead of pretending a value. */
function pathOf(pts: readonly XY[], sx: (x: number) => number, sy: (y: number) => number): string {
  let d = '';
  let pen = false;
  for (const p of pts) {
    if (p.y === null) {
      pen = false;
      continue;
    }
    d += `${pen ? 'L' : 'M'}${sx(p.x).toFixed(1)},${sy(p.y).toFixed(1)}`;
    pen = true;
  }
  return d;
}

export function renderChart(input: ChartInput): string {
  const W = input.width ?? 640;
  const H = input.height ?? 320;
  const m = { left: 64, right: 20, top: 58, bottom: 48 };
  const pw = W - m.left - m.right;
  const ph = H - m.top - m.bottom;
  const cur = toXY(input.current, input.currentStart);
  const base = toXY(input.baseline, input.baselineStart);
  const deployX = input.deployedAt ? (Date.parse(input.deployedAt) - Date.parse(input.currentStart)) / 60_000 : null;

  const xs = [
    0,
    ...(input.windowMs ? [input.windowMs / 60_000] : []),
    ...cur.map((p) => p.x),
    ...base.map((p) => p.x),
    ...(deployX !== null && Number.isFinite(deployX) ? [deployX] : []),
  ];
  let x0 = Math.min(...xs);
  let x1 = Math.max(...xs);
  if (x1 - x0 < 1e-9) x1 = x0 + 1;
  const ys = [...cur, ...base].map((p) => p.y).filter((y): y is number => y !== null);
  if (input.limit !== null && Number.isFinite(input.limit)) ys.push(input.limit);
  let y0 = Math.min(0, ...ys);
  let y1 = ys.length ? Math.max(...ys) : 1;
  if (y1 - y0 < 1e-9) y1 = y0 + (Math.abs(y0) || 1);
  y1 += (y1 - y0) * 0.08;
  if (y0 < 0) y0 -= (y1 - y0) * 0.04;
  const xt = niceTicks(x0, x1, 6);
  const yt = niceTicks(y0, y1, 5);
  x0 = Math.min(x0, xt[0] ?? x0);
  y0 = Math.min(y0, yt[0] ?? y0);
  const sx = (x: number) => m.left + ((x - x0) / (x1 - x0)) * pw;
  const sy = (y: number) => m.top + ph - ((y - y0) / (y1 - y0)) * ph;

  const title = `${input.title}${input.outcome ? ` — ${input.outcome}` : ''}`;
  const unit = input.unit ? ` (${input.unit})` : '';
  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" role="img" aria-label="${escapeXml(`${title}: current vs baseline`)}" font-family="Helvetica, Arial, sans-serif" font-size="11">`,
  );
  out.push(`<title>${escapeXml(title)}</title>`);
  out.push(`<rect x="0" y="0" width="${W}" height="${H}" fill="#ffffff"/>`);
  out.push(
    `<text x="${m.left}" y="20" font-size="14" font-weight="bold" fill="${COLORS.axis}">${escapeXml(input.title)}${input.outcome ? `<tspan fill="${OUTCOME_COLORS[input.outcome]}"> — ${escapeXml(input.outcome)}</tspan>` : ''}</text>`,
  );

  // Legend: one row under the title.
  const legend: [string, string, string][] = [
    ['current', COLORS.current, ''],
    ['baseline (previous version)', COLORS.baseline, '6 4'],
    ...(input.limit !== null
      ? [
          [`limit ${fmt(input.limit)}${input.unit === '%' ? '%' : input.unit ? ` ${input.unit}` : ''}`, COLORS.limit, '3 3'] as [
            string,
            string,
            string,
          ],
        ]
      : []),
    ...(deployX !== null ? [['deploy', COLORS.deploy, '2 2'] as [string, string, string]] : []),
  ];
  let lx = m.left;
  out.push('<g class="legend">');
  for (const [label, color, dash] of legend) {
    out.push(
      `<line x1="${lx}" y1="36" x2="${lx + 22}" y2="36" stroke="${color}" stroke-width="2.5"${dash ? ` stroke-dasharray="${dash}"` : ''}/>`,
    );
    out.push(`<text x="${lx + 27}" y="40" fill="${COLORS.axis}">${escapeXml(label)}</text>`);
    lx += 40 + label.length * 5.6;
  }
  out.push('</g>');

  // Grid and axes.
  out.push('<g class="grid">');
  for (const v of yt)
    out.push(`<line x1="${m.left}" y1="${sy(v).toFixed(1)}" x2="${m.left + pw}" y2="${sy(v).toFixed(1)}" stroke="${COLORS.grid}"/>`);
  out.push('</g>');
  out.push(
    `<g class="axes" stroke="${COLORS.axis}"><line x1="${m.left}" y1="${m.top + ph}" x2="${m.left + pw}" y2="${m.top + ph}"/><line x1="${m.left}" y1="${m.top}" x2="${m.left}" y2="${m.top + ph}"/></g>`,
  );
  out.push(`<g class="x-ticks" fill="${COLORS.axis}" text-anchor="middle">`);
  for (const v of xt)
    out.push(
      `<line x1="${sx(v).toFixed(1)}" y1="${m.top + ph}" x2="${sx(v).toFixed(1)}" y2="${m.top + ph + 4}" stroke="${COLORS.axis}"/><text x="${sx(v).toFixed(1)}" y="${m.top + ph + 16}">${escapeXml(fmt(v))}</text>`,
    );
  out.push('</g>');
  out.push(`<g class="y-ticks" fill="${COLORS.axis}" text-anchor="end">`);
  for (const v of yt) out.push(`<text x="${m.left - 6}" y="${(sy(v) + 4).toFixed(1)}">${escapeXml(fmt(v))}</text>`);
  out.push('</g>');
  out.push(
    `<text class="x-label" x="${m.left + pw / 2}" y="${H - 8}" text-anchor="middle" fill="${COLORS.axis}">minutes since window start (current window vs baseline window)</text>`,
  );
  out.push(
    `<text class="y-label" transform="translate(14 ${m.top + ph / 2}) rotate(-90)" text-anchor="middle" fill="${COLORS.axis}">${escapeXml(`${input.title}${unit}`)}</text>`,
  );

  // Limit line and deploy marker.
  if (input.limit !== null && Number.isFinite(input.limit)) {
    out.push(
      `<line class="limit" x1="${m.left}" y1="${sy(input.limit).toFixed(1)}" x2="${m.left + pw}" y2="${sy(input.limit).toFixed(1)}" stroke="${COLORS.limit}" stroke-width="1.5" stroke-dasharray="3 3"/>`,
    );
  }
  if (deployX !== null && Number.isFinite(deployX)) {
    const x = sx(deployX).toFixed(1);
    out.push(
      `<g class="deploy"><line x1="${x}" y1="${m.top}" x2="${x}" y2="${m.top + ph}" stroke="${COLORS.deploy}" stroke-width="1.5" stroke-dasharray="2 2"/><text x="${Number(x) + 4}" y="${m.top + 12}" fill="${COLORS.deploy}">deploy</text></g>`,
    );
  }

  // Series: baseline under current.
  for (const [cls, pts, color, dash] of [
    ['baseline', base, COLORS.baseline, '6 4'],
    ['current', cur, COLORS.current, ''],
  ] as const) {
    const d = pathOf(pts, sx, sy);
    if (d)
      out.push(
        `<path class="${cls}" d="${d}" fill="none" stroke="${color}" stroke-width="2"${dash ? ` stroke-dasharray="${dash}"` : ''}/>`,
      );
    for (const p of pts)
      if (p.y !== null && pts.length <= 120)
        out.push(`<circle class="${cls}-point" cx="${sx(p.x).toFixed(1)}" cy="${sy(p.y).toFixed(1)}" r="2" fill="${color}"/>`);
  }
  if (!cur.some((p) => p.y !== null) && !base.some((p) => p.y !== null)) {
    out.push(
      `<text class="no-data" x="${m.left + pw / 2}" y="${m.top + ph / 2}" text-anchor="middle" font-size="14" fill="${COLORS.baseline}">no data</text>`,
    );
  }
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}
