// Alternating rounds: every contestant once per round, in the same order (A, B, A, B…), so drift and contention fall on both sides of a ratio.
import { pairRatios, stat } from './stats.ts';
import type { Row, Target, Unit } from './model.ts';

export interface Sample {
  /** The measured value (ms, kB…); undefined when the run gave none. */
  readonly value: number | undefined;
  /** The run did what it should (exit code, checks passed); a failed run is kept, counted and named, never averaged in. */
  readonly ok: boolean;
  readonly note?: string;
  readonly peakRssKb?: number;
  /** CPU time (user + sys) of the run's processes. */
  readonly cpuMs?: number;
  /** Anything else the section reads afterwards (a report file, phase times). */
  readonly detail?: unknown;
}

export interface Contestant {
  readonly id: string;
  readonly run: (round: number) => Promise<Sample>;
}

export type Samples = Record<string, Sample[]>;

/**
 * Runs `rounds` rounds of every contestant in order, after `warmup` untimed rounds (caches: tsx's, Playwright's
 * transform cache, the page cache). Logs one line per run.
 */
export async function alternate(
  contestants: readonly Contestant[],
  o: { readonly rounds: number; readonly warmup: number; readonly log: (line: string) => void },
): Promise<Samples> {
  const out: Samples = Object.fromEntries(contestants.map((c) => [c.id, []]));
  for (let r = -o.warmup; r < o.rounds; r++) {
    for (const c of contestants) {
      const s = await c.run(r);
      const shown = s.value === undefined ? '—' : Math.round(s.value);
      o.log(
        `    ${r < 0 ? 'warm-up' : `round ${r + 1}/${o.rounds}`} ${c.id}: ${shown}${s.ok ? '' : ` (failed: ${s.note ?? 'no reason'})`}`,
      );
      if (r >= 0) out[c.id]!.push(s);
    }
  }
  return out;
}

/** Values of the runs that went right, in round order (a failed run leaves a hole, so ratios stay paired by round). */
export const valuesOf = (samples: readonly Sample[] = []): (number | undefined)[] => samples.map((s) => (s.ok ? s.value : undefined));

function failures(name: string, samples: readonly Sample[] = []): string | undefined {
  const bad = samples.filter((s) => !s.ok);
  return bad.length
    ? `${name}: ${bad.length} of ${samples.length} runs failed (${[...new Set(bad.map((s) => s.note))].join('; ')})`
    : undefined;
}

/** A headline row from two contestants' samples: both sides' median, min, max and the per-round ratio. */
export function pairRow(o: {
  readonly what: string;
  readonly unit: Unit;
  readonly a: readonly Sample[] | undefined;
  readonly b: readonly Sample[] | undefined;
  readonly floorName: string;
  readonly expected: string;
  readonly target?: Target;
  readonly note?: string;
}): Row {
  const a = valuesOf(o.a);
  const b = valuesOf(o.b);
  const notes = [o.note, failures('measured', o.a), failures('floor', o.b)].filter(Boolean);
  return {
    what: o.what,
    unit: o.unit,
    value: stat(a),
    floorName: o.floorName,
    floor: stat(b),
    ratio: stat(pairRatios(a, b)),
    expected: o.expected,
    ...(o.target ? { target: o.target } : {}),
    ...(notes.length ? { note: notes.join('; ') } : {}),
  };
}

/** The same samples' other measure (CPU time, peak memory) as a row of its own. */
function measureRow(measure: 'cpuMs' | 'peakRssKb', unit: 'ms' | 'kB') {
  return (what: string, a: readonly Sample[] | undefined, b: readonly Sample[] | undefined, floorName: string, expected: string): Row => {
    const pick = (xs: readonly Sample[] = []) => xs.map((s) => ({ ...s, value: s[measure] }));
    return pairRow({ what, unit, a: pick(a), b: pick(b), floorName, expected });
  };
}

/** CPU time (user + sys of every process): steadier than wall time on a busy machine. */
export const cpuRow = measureRow('cpuMs', 'ms');

/** Peak memory (for the footprint section). */
export const rssRow = measureRow('peakRssKb', 'kB');
