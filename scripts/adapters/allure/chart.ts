// Pure SVG chart of one health signal: current vs baseline on a shared "minutes since window start" axis, the limits that
// decide (and the warn band), the compared aggregates as markers, breaching intervals highlighted. Scales: d3-scale; lines: d3-shape.
import { scaleLinear, type ScaleLinear } from 'd3-scale';
import { line } from 'd3-shape';
import type { Outcome, SamplePoint } from '../../engine/types.ts';
import { chartLayout, pointStates, type ChartLimit, type ChartMarker, type Direction, type PointState } from './chart-layout.ts';

export type { ChartLimit, ChartMarker, PointState } from './chart-layout.ts';

export interface ChartInput {
  readonly title: string;
  readonly unit: string;
  readonly direction: Direction;
  readonly current: readonly SamplePoint[];
  readonly baseline: readonly SamplePoint[];
  /** ISO start of each window: both series are drawn as minutes since their own window start, so they overlay. */
  readonly currentStart: string;
  readonly baselineStart: string;
  /** Length of the current window, so the axis shows the whole period even when data is short. */
  readonly windowMs?: number;
  readonly deployedAt: string | null;
  readonly limits: readonly ChartLimit[];
  readonly markers: readonly ChartMarker[];
  /** Each current point's state, when the engine judged intervals itself; otherwise derived from the limits. */
  readonly states?: readonly PointState[];
  readonly outcome?: Outcome;
  readonly width?: number;
  readonly height?: number;
}

const COLORS = {
  current: '#1f6fd1',
  baseline: '#6b6b6b',
  fail: '#d62728',
  warn: '#c98a00',
  band: '#fff3cd',
  deploy: '#2e8b57',
  axis: '#333333',
  grid: '#e4e4e4',
};
const OUTCOME_COLORS: Record<Outcome, string> = { pass: '#2e8b57', warn: '#c98a00', fail: '#d62728', inconclusive: '#6b6b6b' };

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

/** A value with its unit, as the axis and labels show it. */
export function withUnit(v: number, unit: string): string {
  const a = Math.abs(v);
  const n = a === 0 ? '0' : a >= 1000 ? v.toFixed(0) : a >= 10 ? String(Number(v.toFixed(1))) : String(Number(v.toPrecision(3)));
  return unit ? (unit === '%' ? `${n} %` : `${n} ${unit}`) : n;
}

type XY = { x: number; y: number | null };
const toXY = (points: readonly SamplePoint[], start: string): XY[] => {
  const t0 = Date.parse(start);
  return points.map((p) => ({ x: (Date.parse(p.t) - t0) / 60_000, y: p.v !== null && Number.isFinite(p.v) ? p.v : null }));
};
const text = (x: number, y: number, body: string, attrs = '') =>
  `<text x="${x.toFixed(1)}" y="${y.toFixed(1)}"${attrs ? ` ${attrs}` : ''}>${escapeXml(body)}</text>`;
const hline = (cls: string, x1: number, x2: number, y: number, color: string, width: number, dash: string) =>
  `<line class="${cls}" x1="${x1.toFixed(1)}" y1="${y.toFixed(1)}" x2="${x2.toFixed(1)}" y2="${y.toFixed(1)}" stroke="${color}" stroke-width="${width}"${dash ? ` stroke-dasharray="${dash}"` : ''}/>`;

interface Frame {
  readonly sx: (x: number) => number;
  readonly sy: (y: number) => number;
  readonly left: number;
  readonly right: number;
  readonly top: number;
  readonly bottom: number;
}

type Key = { label: string; color: string; dash: string; width: number; shape?: 'diamond' | 'dot' };

/** The legend: series in one row; limits (with their values) and compared aggregates in the next; limits beyond the y axis last. */
function legend(input: ChartInput, layout: ReturnType<typeof chartLayout>, width: number): { svg: string[]; height: number } {
  const rows: Key[][] = [
    [
      { label: 'current', color: COLORS.current, dash: '', width: 2.5 },
      { label: 'baseline (previous version)', color: COLORS.baseline, dash: '6 4', width: 2.5 },
      ...(input.deployedAt ? [{ label: 'deploy', color: COLORS.deploy, dash: '2 2', width: 2 }] : []),
      { label: 'interval beyond the fail limit', color: COLORS.fail, dash: '', width: 0, shape: 'dot' as const },
    ],
    [
      ...layout.shown.map((l) => ({
        label: `${l.deciding ? 'deciding ' : ''}${l.level} limit (${l.kind}) ${withUnit(l.value, input.unit)}`,
        color: l.level === 'fail' ? COLORS.fail : COLORS.warn,
        dash: l.deciding ? '' : '5 3',
        width: l.deciding ? 2.5 : 1.5,
      })),
      ...input.markers.map((m) => ({
        label: m.label,
        color: m.series === 'current' ? COLORS.current : COLORS.baseline,
        dash: '1 3',
        width: 1.5,
        shape: 'diamond' as const,
      })),
    ],
  ];
  const out: string[] = ['<g class="legend" font-size="11">'];
  let y = 36;
  for (const row of rows.filter((r) => r.length)) {
    let x = 64;
    for (const k of row) {
      const w = 34 + k.label.length * 6.2;
      if (x + w > width - 10 && x > 64) {
        x = 64;
        y += 16;
      }
      out.push(
        k.width ? hline('legend-key', x, x + 22, y - 4, k.color, k.width, k.dash) : '',
        k.shape === 'diamond' ? `<path d="M${x + 11},${y - 9}l5,5l-5,5l-5,-5z" fill="${k.color}"/>` : '',
        k.shape === 'dot' ? `<circle cx="${x + 11}" cy="${y - 4}" r="4.5" fill="${k.color}"/>` : '',
        text(x + 27, y, k.label, `fill="${COLORS.axis}"`),
      );
      x += w;
    }
    y += 16;
  }
  if (layout.offChart.length) {
    const names = layout.offChart.map((l) => `${l.level} (${l.kind}) ${withUnit(l.value, input.unit)} ${l.side === 'above' ? '↑' : '↓'}`);
    const line1 = `beyond the y axis: ${names.join(', ')}`;
    const max = Math.floor((width - 70) / 6.2);
    out.push(text(64, y, line1.length > max ? `${line1.slice(0, max - 1)}…` : line1, `class="off-chart" fill="${COLORS.axis}"`));
    y += 16;
  }
  out.push('</g>');
  return { svg: out.filter(Boolean), height: y - 8 };
}

function limitsAndBands(input: ChartInput, shown: readonly ChartLimit[], f: Frame): string[] {
  const out: string[] = [];
  // Warn band: from each kind's warn level to its fail level (or to the edge of the chart when the fail level is off it).
  for (const warn of shown.filter((l) => l.level === 'warn')) {
    const fail = input.limits.find((l) => l.kind === warn.kind && l.level === 'fail');
    const edge = input.direction === 'higher-is-worse' ? f.top : f.bottom;
    const yFail = fail && shown.includes(fail) ? f.sy(fail.value) : edge;
    const [y1, y2] = [f.sy(warn.value), yFail].sort((a, b) => a - b) as [number, number];
    out.push(
      `<rect class="warn-band" x="${f.left}" y="${y1.toFixed(1)}" width="${(f.right - f.left).toFixed(1)}" height="${Math.max(0, y2 - y1).toFixed(1)}" fill="${COLORS.band}" opacity="0.7"/>`,
    );
  }
  for (const l of shown) {
    const color = l.level === 'fail' ? COLORS.fail : COLORS.warn;
    const y = f.sy(l.value);
    const cls = `limit limit-${l.level}${l.deciding ? ' deciding' : ''}`;
    out.push(hline(cls, f.left, f.right, y, color, l.deciding ? 2.5 : 1.5, l.deciding ? '' : '5 3'));
    // Only the deciding limit is named on the plot (the legend names every one): labels of near limits would collide.
    if (l.deciding)
      out.push(
        text(
          f.right - 4,
          y - 4,
          `${l.level} limit ${withUnit(l.value, input.unit)}`,
          `class="limit-label" text-anchor="end" fill="${color}" font-weight="bold"`,
        ),
      );
  }
  return out;
}

function series(cur: XY[], base: XY[], states: readonly PointState[], f: Frame): string[] {
  const out: string[] = [];
  const path = line<XY>()
    .defined((p) => p.y !== null)
    .x((p) => f.sx(p.x))
    .y((p) => f.sy(p.y!));
  for (const [cls, pts, color, dash] of [
    ['baseline', base, COLORS.baseline, '6 4'],
    ['current', cur, COLORS.current, ''],
  ] as const) {
    const d = path(pts);
    if (d && pts.some((p) => p.y !== null))
      out.push(
        `<path class="${cls}" d="${d}" fill="none" stroke="${color}" stroke-width="2"${dash ? ` stroke-dasharray="${dash}"` : ''}/>`,
      );
    if (pts.length > 200) continue;
    pts.forEach((p, i) => {
      if (p.y === null) return;
      const state = cls === 'current' ? states[i] : 'ok';
      const hot = state === 'breach' || state === 'warn';
      const fill = state === 'breach' ? COLORS.fail : state === 'warn' ? COLORS.warn : color;
      out.push(
        `<circle class="${cls}-point${hot ? ` ${state}` : ''}" cx="${f.sx(p.x).toFixed(1)}" cy="${f.sy(p.y).toFixed(1)}" r="${hot ? 4.5 : 2}" fill="${fill}"${hot ? ' stroke="#ffffff" stroke-width="1"' : ''}/>`,
      );
    });
  }
  return out;
}

/** Each compared aggregate: a dotted line across its window, ending in a diamond (named in the legend). */
function markers(input: ChartInput, f: Frame, xEnd: { current: number; baseline: number }): string[] {
  return input.markers.map((m) => {
    const color = m.series === 'current' ? COLORS.current : COLORS.baseline;
    const y = f.sy(m.value);
    const x2 = f.sx(xEnd[m.series]);
    const diamond = `<path d="M${x2.toFixed(1)},${(y - 6).toFixed(1)}l6,6l-6,6l-6,-6z" fill="${color}"/>`;
    return `<g class="marker marker-${m.series}"><title>${escapeXml(m.label)}</title>${hline('marker-line', f.left, x2, y, color, 1.5, '1 3')}${diamond}</g>`;
  });
}

/** Horizontal grid lines at d3's ticks; the zero line darker. */
const grid = (ticks: readonly number[], f: Frame): string[] => [
  '<g class="grid">',
  ...ticks.map((v) => hline(v === 0 ? 'zero' : 'gridline', f.left, f.right, f.sy(v), v === 0 ? '#9a9a9a' : COLORS.grid, 1, '')),
  '</g>',
];

/** Axes, ticks (d3's) and axis labels. */
function axes(input: ChartInput, ticks: readonly number[], x: ScaleLinear<number, number>, f: Frame, height: number): string[] {
  return [
    `<g class="axes" stroke="${COLORS.axis}"><line x1="${f.left}" y1="${f.bottom}" x2="${f.right}" y2="${f.bottom}"/><line x1="${f.left}" y1="${f.top}" x2="${f.left}" y2="${f.bottom}"/></g>`,
    `<g class="x-ticks" fill="${COLORS.axis}" text-anchor="middle">`,
    ...x
      .ticks(6)
      .map(
        (v) =>
          `<line x1="${x(v).toFixed(1)}" y1="${f.bottom}" x2="${x(v).toFixed(1)}" y2="${f.bottom + 4}" stroke="${COLORS.axis}"/>${text(x(v), f.bottom + 16, String(v))}`,
      ),
    '</g>',
    `<g class="y-ticks" fill="${COLORS.axis}" text-anchor="end">`,
    ...ticks.map((v) => text(f.left - 6, f.sy(v) + 4, withUnit(v, ''))),
    '</g>',
    text(
      (f.left + f.right) / 2,
      height - 8,
      'minutes since window start (current window vs baseline window)',
      `class="x-label" text-anchor="middle" fill="${COLORS.axis}"`,
    ),
    `<text class="y-label" transform="translate(14 ${((f.top + f.bottom) / 2).toFixed(1)}) rotate(-90)" text-anchor="middle" fill="${COLORS.axis}">${escapeXml(`${input.title}${input.unit ? ` (${input.unit})` : ''}`)}</text>`,
  ];
}

export function renderChart(input: ChartInput): string {
  const W = input.width ?? 720;
  const H = input.height ?? 360;
  const layout = chartLayout(input);
  const head = legend(input, layout, W);
  const m = { left: 64, right: 20, top: head.height + 8, bottom: 44 };
  const cur = toXY(input.current, input.currentStart);
  const base = toXY(input.baseline, input.baselineStart);
  const deployX = input.deployedAt ? (Date.parse(input.deployedAt) - Date.parse(input.currentStart)) / 60_000 : null;
  const xs = [0, ...(input.windowMs ? [input.windowMs / 60_000] : []), ...cur.map((p) => p.x), ...base.map((p) => p.x)];
  if (deployX !== null && Number.isFinite(deployX)) xs.push(deployX);
  const x = scaleLinear()
    .domain([Math.min(...xs), Math.max(...xs) > Math.min(...xs) ? Math.max(...xs) : Math.min(...xs) + 1])
    .range([m.left, W - m.right]);
  const y = scaleLinear()
    .domain([...layout.domain])
    .range([H - m.bottom, m.top]);
  const f: Frame = { sx: x, sy: y, left: m.left, right: W - m.right, top: m.top, bottom: H - m.bottom };

  const title = `${input.title}${input.outcome ? ` — ${input.outcome}` : ''}`;
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" role="img" aria-label="${escapeXml(`${title}: current vs baseline`)}" font-family="DejaVu Sans, Helvetica, Arial, sans-serif" font-size="11">`,
    `<title>${escapeXml(title)}</title>`,
    `<rect x="0" y="0" width="${W}" height="${H}" fill="#ffffff"/>`,
    `<text x="${m.left}" y="20" font-size="14" font-weight="bold" fill="${COLORS.axis}">${escapeXml(input.title)}${input.outcome ? `<tspan fill="${OUTCOME_COLORS[input.outcome]}"> — ${escapeXml(input.outcome)}</tspan>` : ''}</text>`,
    ...head.svg,
    ...grid(layout.ticks, f),
    ...limitsAndBands(input, layout.shown, f),
    ...axes(input, layout.ticks, x, f, H),
  ];
  if (deployX !== null && Number.isFinite(deployX)) {
    const dx = x(deployX).toFixed(1);
    out.push(
      `<g class="deploy"><line x1="${dx}" y1="${f.top}" x2="${dx}" y2="${f.bottom}" stroke="${COLORS.deploy}" stroke-width="1.5" stroke-dasharray="2 2"/>${text(Number(dx) + 4, f.top + 12, 'deploy', `fill="${COLORS.deploy}"`)}</g>`,
    );
  }
  out.push(...series(cur, base, input.states ?? pointStates(input), f));
  const lastX = (pts: XY[]) => (pts.length ? Math.max(...pts.map((p) => p.x)) : x.domain()[1]!);
  out.push(...markers(input, f, { current: lastX(cur), baseline: lastX(base) }));
  if (!cur.some((p) => p.y !== null) && !base.some((p) => p.y !== null))
    out.push(
      text(
        (f.left + f.right) / 2,
        (f.top + f.bottom) / 2,
        'no data',
        `class="no-data" text-anchor="middle" font-size="14" fill="${COLORS.baseline}"`,
      ),
    );
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}
