// The health chart is a valid standalone SVG: well-formed XML, escaped text, limit line, deploy marker, both series.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { escapeXml, niceTicks, renderChart, type ChartInput } from '../../scripts/adapters/allure/chart.ts';
import { DEPLOYED_AT, series } from './verdict-fixtures.ts';

const base: ChartInput = {
  title: 'Error rate',
  unit: '%',
  current: series('2026-11-26T10:01:00.000Z', [0.2, 0.4, null, 1.8, 2.5]),
  baseline: series('2026-11-26T09:55:00.000Z', [0.2, 0.3, 0.2, 0.25, 0.2]),
  currentStart: '2026-11-26T10:01:00.000Z',
  baselineStart: '2026-11-26T09:55:00.000Z',
  windowMs: 5 * 60_000,
  deployedAt: DEPLOYED_AT,
  limit: 1,
  outcome: 'fail',
};

function parse(svg: string): Record<string, unknown> {
  const valid = XMLValidator.validate(svg);
  assert.equal(valid, true, `not well-formed: ${JSON.stringify(valid)}`);
  return new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@' }).parse(svg) as Record<string, unknown>;
}
const all = (svg: string, cls: string) => [...svg.matchAll(new RegExp(`class="${cls}"`, 'g'))].length;

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
    // A parser gets the original text back (minus the control character XML forbids): escaped, not mangled.
    assert.equal(doc.svg.title, `<script>alert("x")</script> & 'quotes' ]]> bell — fail`);
    assert.match(svg, /<title>&lt;script&gt;alert\(&quot;x&quot;\)&lt;\/script&gt; &amp; &apos;quotes&apos; \]\]&gt; bell — fail<\/title>/);
  });

  it('draws the limit line at the limit value, between the axis ends', () => {
    const svg = renderChart(base);
    const m = /<line class="limit" x1="([\d.]+)" y1="([\d.]+)" x2="([\d.]+)" y2="([\d.]+)"/.exec(svg);
    assert.ok(m, 'limit line missing');
    assert.equal(m[2], m[4], 'the limit line is horizontal');
    assert.match(svg, /limit 1%/);
    assert.equal(all(renderChart({ ...base, limit: null }), 'limit'), 0, 'no limit, no line');
  });

  it('draws the deploy marker before the current window when the deploy preceded it', () => {
    const svg = renderChart(base);
    const deploy = /<g class="deploy"><line x1="([\d.]+)"/.exec(svg);
    const firstCurrent = /<circle class="current-point" cx="([\d.]+)"/.exec(svg);
    assert.ok(deploy && firstCurrent);
    assert.ok(Number(deploy[1]) < Number(firstCurrent[1]), 'deploy (10:00) is left of the first current sample (10:01)');
    assert.equal(all(renderChart({ ...base, deployedAt: null }), 'deploy'), 0);
  });

  it('overlays current and baseline on one relative time axis, with a gap for an empty interval', () => {
    const svg = renderChart(base);
    assert.equal(all(svg, 'current'), 1);
    assert.equal(all(svg, 'baseline'), 1);
    assert.equal(all(svg, 'current-point'), 4, 'the null sample has no point');
    const d = /<path class="current" d="([^"]+)"/.exec(svg)![1]!;
    assert.equal(d.match(/M/g)?.length, 2, 'the null sample breaks the line in two');
    // Both series start at minute 0 of their own window, so their first points share an x.
    const firstX = (cls: string) => new RegExp(`<circle class="${cls}-point" cx="([\\d.]+)"`).exec(svg)![1];
    assert.equal(firstX('current'), firstX('baseline'));
    assert.match(svg, /minutes since window start/);
    assert.match(svg, /baseline \(previous version\)/);
  });

  it('says "no data" rather than drawing an empty success', () => {
    const svg = renderChart({ ...base, current: [], baseline: [] });
    parse(svg);
    assert.match(svg, /class="no-data"/);
  });

  it('picks round axis ticks', () => {
    assert.deepEqual(niceTicks(0, 10, 5), [0, 2, 4, 6, 8, 10]);
    assert.deepEqual(niceTicks(0, 2.5, 5), [0, 0.5, 1, 1.5, 2, 2.5]);
    assert.deepEqual(niceTicks(3, 3), [3], 'a flat range has one tick');
    assert.equal(escapeXml('a<b>&"\''), 'a&lt;b&gt;&amp;&quot;&apos;');
  });
});
