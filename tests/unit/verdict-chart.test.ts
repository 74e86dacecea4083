// The health chart is a valid standalone SVG that shows why: the deciding limit, the warn band, the compared aggregate,
// breaching intervals, a y axis scaled to the data and the nearest limit, and a zero baseline above the axis.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { chartLayout, pointStates } from '../../scripts/adapters/allure/chart-layout.ts';
import { signalChart, signalLimits } from '../../scripts/adapters/allure/chart-model.ts';
import { escapeXml, renderChart, type ChartInput } from '../../scripts/adapters/allure/chart.ts';
import { DEPLOYED_AT, health, policy, series, signal } from './verdict-fixtures.ts';

const base: ChartInput = {
  title: 'Error rate',
  unit: '%',
  direction: 'higher-is-worse',
  current: series('2026-11-26T10:01:00.000Z', [0.2, 0.4, null, 1.8, 2.5]),
  baseline: series('2026-11-26T09:55:00.000Z', [0.2, 0.3, 0.2, 0.25, 0.2]),
  currentStart: '2026-11-26T10:01:00.000Z',
  baselineStart: '2026-11-26T09:55:00.000Z',
  windowMs: 5 * 60_000,
  deployedAt: DEPLOYED_AT,
  limits: [
    { kind: 'absolute', level: 'fail', value: 1, deciding: true },
    { kind: 'absolute', level: 'warn', value: 0.5, deciding: false },
  ],
  markers: [{ series: 'current', label: 'current mean 1.2 %', value: 1.2 }],
  outcome: 'fail',
};

function parse(svg: string): Record<string, unknown> {
  const valid = XMLValidator.validate(svg);
  assert.equal(valid, true, `not well-formed: ${JSON.stringify(valid)}`);
  return new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@' }).parse(svg) as Record<string, unknown>;
}
const count = (svg: string, cls: string) => [...svg.matchAll(new RegExp(`class="[^"]*\\b${cls}\\b[^"]*"`, 'g'))].length;
/** The y pixel of a horizontal line with this class. */
const lineY = (svg: string, cls: string) =>
  Number(new RegExp(`<line class="[^"]*\\b${cls}\\b[^"]*" x1="[\\d.]+" y1="([\\d.]+)"`).exec(svg)?.[1]);

describe('health signal chart', () => {
  it('is a well-formed standalone SVG with the SVG namespace and a title', () => {
    const doc = parse(renderChart(base)) as { svg: { '@xmlns': string; title: string } };
    assert.equal(doc.svg['@xmlns'], 'http://www.w3.org/2000/svg');
    assert.equal(doc.svg.title, 'Error rate — fail');
  });

  it('escapes hostile titles and units so they cannot break out of the markup', () => {
    const hostile = `<script>alert("x")</script> & 'quotes' ]]> \u0007bell`;
    const svg = renderChart({ ...base, title: hostile, unit: '"><g onload="x">' });
    const doc = parse(svg) as { svg: { title: string } };
    assert.ok(!svg.includes('<script>'));
    assert.ok(!svg.includes('onload="x"'));
    assert.ok(!svg.includes('\u0007'));
    assert.equal(doc.svg.title, `<script>alert("x")</script> & 'quotes' ]]> bell — fail`);
    assert.equal(escapeXml('a<b>&"\''), 'a&lt;b&gt;&amp;&quot;&apos;');
  });

  it('draws the deciding limit bold and labelled, the warn level dashed, and the warn band between them', () => {
    const svg = renderChart(base);
    assert.equal(count(svg, 'deciding'), 1);
    assert.equal(count(svg, 'limit-warn'), 1);
    assert.match(svg, /class="limit-label"[^>]*>fail limit 1 %</);
    assert.match(svg, /deciding fail limit \(absolute\) 1 %/, 'the legend names it with its kind');
    const band = /<rect class="warn-band" x="[\d.]+" y="([\d.]+)" width="[\d.]+" height="([\d.]+)"/.exec(svg);
    assert.ok(band, 'warn band missing');
    // The band spans from the fail line (top) to the warn line (bottom): SVG y grows downwards.
    assert.equal(Number(band[1]).toFixed(1), lineY(svg, 'limit-fail').toFixed(1));
    assert.equal((Number(band[1]) + Number(band[2])).toFixed(1), lineY(svg, 'limit-warn').toFixed(1));
    assert.equal(count(renderChart({ ...base, limits: [] }), 'limit'), 0, 'no limit, no line');
  });

  it('highlights the intervals beyond the deciding fail level, and marks the compared aggregate', () => {
    const svg = renderChart(base);
    assert.equal(count(svg, 'breach'), 2, '1.8 and 2.5 are beyond 1 %');
    assert.deepEqual(pointStates(base), ['ok', 'ok', 'missing', 'breach', 'breach']);
    assert.equal(count(svg, 'marker-current'), 1);
    assert.match(svg, /current mean 1\.2 %/);
    // States the engine judged itself win over the derived ones.
    assert.equal(count(renderChart({ ...base, states: ['breach', 'ok', 'missing', 'ok', 'warn'] }), 'breach'), 1);
  });

  it('scales the y axis to the data and the nearest limit, not to a far absolute limit', () => {
    // p95 of ~3.75 ms against a relative limit of 4.5 ms and an absolute one of 500 ms.
    const layout = chartLayout({
      direction: 'higher-is-worse',
      current: series(DEPLOYED_AT, [3.5, 3.7, 3.9, 3.75]),
      baseline: series('2026-11-26T09:50:00.000Z', [1.8, 1.9, 1.85]),
      limits: [
        { kind: 'absolute', level: 'fail', value: 500, deciding: false },
        { kind: 'relative', level: 'fail', value: 4.5, deciding: false },
      ],
      markers: [],
    });
    assert.ok(layout.domain[1] < 10, `top ${layout.domain[1]}`);
    assert.deepEqual(
      layout.shown.map((l) => l.value),
      [4.5],
    );
    assert.deepEqual(
      layout.offChart.map((l) => [l.value, l.side]),
      [[500, 'above']],
    );
    const svg = renderChart({
      ...base,
      current: series(DEPLOYED_AT, [3.5, 3.7, 3.9]),
      limits: [...layout.shown, ...layout.offChart],
      markers: [],
    });
    assert.match(svg, /beyond the y axis: fail \(absolute\) 500 % ↑/);
  });

  it('keeps zero in view and lifts it above the x axis, so a zero baseline is not hidden under it', () => {
    const zero = { ...base, baseline: series('2026-11-26T09:55:00.000Z', [0, 0, 0, 0, 0]) };
    const layout = chartLayout(zero);
    assert.ok(layout.domain[0] < 0, 'a little room below zero');
    assert.ok(layout.ticks.includes(0));
    const svg = renderChart(zero);
    const axisY = Number(/<g class="axes"[^>]*><line x1="[\d.]+" y1="([\d.]+)"/.exec(svg)![1]);
    assert.ok(lineY(svg, 'zero') < axisY - 5, 'the zero line sits above the axis line');
  });

  it('overlays current and baseline on one relative time axis, with a gap for an empty interval, and a deploy marker', () => {
    const svg = renderChart(base);
    const d = /<path class="current" d="([^"]+)"/.exec(svg)![1]!;
    assert.equal(d.match(/M/g)?.length, 2, 'the null sample breaks the line in two');
    const firstX = (cls: string) => new RegExp(`<circle class="${cls}-point[^"]*" cx="([\\d.]+)"`).exec(svg)![1];
    assert.equal(firstX('current'), firstX('baseline'));
    const deploy = /<g class="deploy"><line x1="([\d.]+)"/.exec(svg);
    assert.ok(deploy && Number(deploy[1]) < Number(firstX('current')), 'deploy (10:00) is left of the first current sample (10:01)');
    assert.equal(count(renderChart({ ...base, deployedAt: null }), 'deploy'), 0);
  });

  it('says "no data" rather than drawing an empty success', () => {
    const svg = renderChart({ ...base, current: [], baseline: [], markers: [] });
    parse(svg);
    assert.match(svg, /class="no-data"/);
  });
});

describe('chart data from a signal and its policy', () => {
  it('draws the relative limit around the measured baseline, and marks the one that decided', () => {
    const p = policy().signals.find((s) => s.id === 'latency_p95')!;
    const s = signal('latency_p95', 'fail', {
      current: 3.75,
      baseline: 1.84,
      rules: [{ rule: 'relative', outcome: 'fail', observed: 3.75, limit: '≤ baseline × 1.2 = 2.21 ms', reason: 'beyond' }],
    });
    const limits = signalLimits(s, p);
    assert.equal(limits.length, 1);
    assert.equal(limits[0]!.kind, 'relative');
    assert.ok(Math.abs(limits[0]!.value - 1.84 * 1.2) < 1e-9);
    assert.equal(limits[0]!.deciding, true);
    const chart = signalChart(s, p, { report: health([s]), deployedAt: DEPLOYED_AT });
    assert.deepEqual(
      chart.markers.map((m) => m.label),
      ['current mean 3.75 ms', 'baseline mean 1.84 ms'],
    );
  });

  it('draws both absolute levels, and nothing decides a passing signal', () => {
    const p = policy().signals.find((s) => s.id === 'error_rate')!;
    const limits = signalLimits(signal('error_rate', 'pass'), p);
    assert.deepEqual(
      limits.map((l) => [l.kind, l.level, l.value, l.deciding]),
      [
        ['absolute', 'fail', 1, false],
        ['absolute', 'warn', 0.5, false],
      ],
    );
  });
});
