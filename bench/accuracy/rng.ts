// A seeded random source for the accuracy corpus: uniform, normal, Poisson, binomial and lognormal draws, reproducible by seed.

/** mulberry32: small, fast and good enough for simulation; the same seed gives the same corpus on every machine. */
export function createRng(seed: number) {
  let a = seed >>> 0;
  const uniform = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  let spare: number | null = null;
  /** Standard normal (Box–Muller, both values used). */
  const normal = (): number => {
    if (spare !== null) {
      const s = spare;
      spare = null;
      return s;
    }
    let u = 0;
    while (u === 0) u = uniform();
    const r = Math.sqrt(-2 * Math.log(u));
    const th = 2 * Math.PI * uniform();
    spare = r * Math.sin(th);
    return r * Math.cos(th);
  };
  /** Poisson: Knuth's product method for small means, a rounded normal for large ones. */
  const poisson = (mean: number): number => {
    if (mean <= 0) return 0;
    if (mean > 50) return Math.max(0, Math.round(mean + Math.sqrt(mean) * normal()));
    const limit = Math.exp(-mean);
    let k = 0;
    let p = uniform();
    while (p > limit) {
      k++;
      p *= uniform();
    }
    return k;
  };
  /** Binomial(n, p): exact for small n, Poisson or normal approximations beyond. */
  const binomial = (n: number, p: number): number => {
    if (n <= 0 || p <= 0) return 0;
    if (p >= 1) return n;
    if (n <= 60) {
      let k = 0;
      for (let i = 0; i < n; i++) if (uniform() < p) k++;
      return k;
    }
    if (n * p < 20) return Math.min(n, poisson(n * p));
    return Math.min(n, Math.max(0, Math.round(n * p + Math.sqrt(n * p * (1 - p)) * normal())));
  };
  const lognormal = (median: number, sigma: number): number => median * Math.exp(sigma * normal());
  return { uniform, normal, poisson, binomial, lognormal, between: (lo: number, hi: number) => lo + (hi - lo) * uniform() };
}

export type Rng = ReturnType<typeof createRng>;

/** A stable 32-bit seed from a case id, so adding a case never changes another case's data. */
export function seedOf(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return h >>> 0;
}
