// The hostile-input suite, part 1: bad or malicious environment, manifest, policy, query text and flags, each through
// the real command (exit code, message, and no previous report lost or left looking current).
import { hostileSuite, customSignal, MANIFEST, POLICY, TAIL, type Case, type Json } from '../helpers/hostile.ts';

const cases: Case[] = [
  // --- the control: everything valid ---
  {
    name: 'valid inputs of this release proceed (the control case)',
    cmd: 'verdict',
    code: 0,
    says: [/PROCEED/],
    rule: 'all-checks-passed',
  },
  // --- environment ---
  {
    name: 'AFTERCHECK_RETRIES=" " is a typo, not 0',
    cmd: 'playwright',
    env: { AFTERCHECK_RETRIES: ' ' },
    code: 4,
    says: ['AFTERCHECK_RETRIES', 'whole number'],
  },
  {
    name: 'an InfluxDB timeout above 2^31-1 ms is refused',
    cmd: 'verdict',
    env: { AFTERCHECK_INFLUX_TIMEOUT_MS: '9999999999' },
    code: 4,
    says: ['AFTERCHECK_INFLUX_TIMEOUT_MS', '2147483647'],
  },
  {
    name: 'an InfluxDB timeout written as 1e3 is refused',
    cmd: 'verdict',
    env: { AFTERCHECK_INFLUX_TIMEOUT_MS: '1e3' },
    code: 4,
    says: ['written in digits'],
  },
  {
    name: 'a misspelt scheme in the target is refused',
    cmd: 'verdict',
    env: { AFTERCHECK_BASE_URL: 'htp://typo' },
    code: 4,
    says: ['AFTERCHECK_BASE_URL', 'http(s) URL'],
  },
  {
    name: 'credentials in the target URL are refused without being printed',
    cmd: 'verdict',
    env: { AFTERCHECK_BASE_URL: 'https://monitor:s3cret-pw@shop.test' },
    code: 4,
    says: ['AFTERCHECK_USERNAME and AFTERCHECK_PASSWORD', /%5BREDACTED%5D/],
  },
  {
    name: 'an InfluxDB URL that is not http(s) is refused',
    cmd: 'verdict',
    env: { AFTERCHECK_INFLUX_URL: 'ftp://influx' },
    code: 4,
    says: ['AFTERCHECK_INFLUX_URL'],
  },
  {
    name: 'a carriage return in the service name is named as such',
    cmd: 'verdict',
    env: { AFTERCHECK_SERVICE: 'demo-shop\r' },
    code: 4,
    says: ['AFTERCHECK_SERVICE', 'control characters'],
  },
  {
    name: 'a misspelt AFTERCHECK_ key is named with the nearest known key',
    cmd: 'verdict',
    env: { AFTERCHECK_INFUX_URL: 'http://x' },
    code: 0,
    says: ['AFTERCHECK_INFUX_URL', 'did you mean AFTERCHECK_INFLUX_URL?'],
  },
  {
    name: 'AFTERCHECK_VERIFY_ALL=maybe is refused',
    cmd: 'verdict',
    env: { AFTERCHECK_VERIFY_ALL: 'maybe' },
    code: 4,
    says: ['AFTERCHECK_VERIFY_ALL'],
  },
  { name: 'a run id with a space is refused', cmd: 'verdict', env: { AFTERCHECK_RUN_ID: 'run 1' }, code: 4, says: ['AFTERCHECK_RUN_ID'] },
  {
    name: 'an unknown InfluxDB dialect is refused',
    cmd: 'verdict',
    env: { AFTERCHECK_INFLUX_DIALECT: 'sql' },
    code: 4,
    says: ['must be auto, influxql or flux'],
  },
  {
    name: 'several environment problems are listed at once',
    cmd: 'verdict',
    env: { AFTERCHECK_INFLUX_DIALECT: 'sql', AFTERCHECK_VERIFY_ALL: 'maybe', AFTERCHECK_RETRIES: '9' },
    code: 4,
    says: ['3 problems'],
  },
  // --- manifest ---
  {
    name: 'a manifest that is not JSON',
    cmd: 'verdict',
    mutate: (f) => f.set('manifest', '{"version": '),
    code: 4,
    says: ['is not valid JSON'],
  },
  {
    name: 'a deploy time that is not ISO-8601',
    cmd: 'verdict',
    mutate: (f) => f.set('manifest', { ...MANIFEST, deployedAt: 'yesterday' }),
    code: 4,
    says: ['deployedAt', 'ISO-8601'],
  },
  {
    name: 'an unknown feature lists the known ids',
    cmd: 'verdict',
    mutate: (f) => f.set('manifest', { ...MANIFEST, features: ['serch'] }),
    code: 4,
    says: ['features[0]', 'is not a known feature id', 'search'],
  },
  {
    name: 'a carriage return in a version blames the manifest, not the policy',
    cmd: 'verdict',
    mutate: (f) => f.set('manifest', { ...MANIFEST, version: '2.0.0\r' }),
    code: 4,
    says: ['release manifest', 'version', 'control characters'],
  },
  {
    name: 'an unknown change size lists the sizes',
    cmd: 'verdict',
    mutate: (f) => f.set('manifest', { ...MANIFEST, changeSize: 'huge' }),
    code: 4,
    says: ['changeSize', 'patch, minor, major, migration, infrastructure'],
  },
  {
    name: 'an unknown manifest key is refused',
    cmd: 'verdict',
    mutate: (f) => f.set('manifest', { ...MANIFEST, deployedBy: 'x' }),
    code: 4,
    says: ['deployedBy'],
  },
  {
    name: 'the health gate refuses a release whose version equals its baseline',
    cmd: 'health',
    mutate: (f) => f.set('manifest', { ...MANIFEST, previousVersion: '2.0.0' }),
    code: 4,
    says: ['equals the previous version'],
  },
  // --- policy ---
  {
    name: 'a negative fail limit',
    cmd: 'verdict',
    mutate: (f) =>
      f.set('policy', {
        ...POLICY,
        signals: [{ ...(POLICY.signals as Json[])[0], absolute: { fail: -1 } }, (POLICY.signals as Json[])[1]],
      }),
    code: 4,
    says: ['absolute.fail', '0 or more'],
  },
  {
    name: 'a 999999999d checking period',
    cmd: 'verdict',
    mutate: (f) => f.set('policy', { ...POLICY, checkingPeriods: { ...(POLICY.checkingPeriods as Json), patch: '999999999d' } }),
    code: 4,
    says: ['checkingPeriods.patch', 'at most 24d'],
  },
  {
    name: 'an unknown template lists the template names',
    cmd: 'verdict',
    mutate: (f) => f.set('policy', customSignal({ template: 'errr_rate' })),
    code: 4,
    says: ['query.template', 'error_rate, latency_p50'],
  },
  {
    name: 'a query with no kind says which kinds there are',
    cmd: 'verdict',
    mutate: (f) => f.set('policy', customSignal({})),
    code: 4,
    says: ['names no query kind', '"influxql"'],
  },
  {
    name: 'a second statement after ";"',
    cmd: 'verdict',
    mutate: (f) => f.set('policy', customSignal({ influxql: `SELECT mean("v") FROM "m" ${TAIL}; DROP DATABASE "x"` })),
    code: 4,
    says: ['more than one statement'],
  },
  {
    name: 'SELECT … INTO',
    cmd: 'verdict',
    mutate: (f) => f.set('policy', customSignal({ influxql: `SELECT mean("v") INTO "x" FROM "m" ${TAIL}` })),
    code: 4,
    says: ['INTO, which writes'],
  },
  {
    name: 'a Flux query that writes with to()',
    cmd: 'verdict',
    mutate: (f) =>
      f.set(
        'policy',
        customSignal({
          flux: 'from(bucket: $bucket) |> range(start: $start, stop: $end) |> aggregateWindow(every: $interval, fn: mean) |> to(bucket: "x")',
        }),
      ),
    code: 4,
    says: ['to()'],
  },
  {
    name: 'a placeholder inside a regex literal',
    cmd: 'verdict',
    mutate: (f) =>
      f.set(
        'policy',
        customSignal({
          influxql: `SELECT mean("v") FROM "m" WHERE "version" =~ /$version/ AND time >= $start AND time < $end GROUP BY time($interval)`,
        }),
      ),
    code: 4,
    says: ['inside the regex literal'],
  },
  {
    name: 'a quoted placeholder',
    cmd: 'verdict',
    mutate: (f) =>
      f.set(
        'policy',
        customSignal({
          influxql: `SELECT mean("v") FROM "m" WHERE "version" = '$version' AND time >= $start AND time < $end GROUP BY time($interval)`,
        }),
      ),
    code: 4,
    says: ['inside quotes'],
  },
  {
    name: 'an interval longer than a checking period',
    cmd: 'verdict',
    mutate: (f) => f.set('policy', { ...POLICY, interval: '20m' }),
    code: 4,
    says: ['interval', 'longer than the patch checking period'],
  },
  {
    name: 'a warn level beyond the fail level',
    cmd: 'verdict',
    mutate: (f) =>
      f.set('policy', {
        ...POLICY,
        signals: [{ ...(POLICY.signals as Json[])[0], absolute: { warn: 2, fail: 1 } }, (POLICY.signals as Json[])[1]],
      }),
    code: 4,
    says: ['warn level 2 is beyond fail level 1'],
  },
  { name: 'a policy that is not JSON', cmd: 'verdict', mutate: (f) => f.set('policy', 'name: yaml'), code: 4, says: ['is not valid JSON'] },
  // --- flags ---
  { name: '--now yesterday', cmd: 'verdict', args: ['--now', 'yesterday'], code: 4, says: ['--now', 'ISO-8601'] },
  { name: '--health with --no-health', cmd: 'verdict', args: ['--health', 'x.json', '--no-health'], code: 4, says: ['cannot be combined'] },
  {
    name: 'an unknown flag and a stray argument, both listed',
    cmd: 'verdict',
    args: ['--bogus', 'stray'],
    code: 4,
    says: ['--bogus', 'stray', '2 problems'],
  },
  {
    name: 'the health gate refuses an unknown change size',
    cmd: 'health',
    args: ['--change-size', 'huge'],
    code: 4,
    says: ['--change-size'],
  },
  {
    name: 'a manifest derivation without --from',
    cmd: 'manifest',
    args: ['--version', '2.0.0', '--previous-version', '1.0.0'],
    code: 4,
    says: ['--from', 'is required', 'moved the previous manifest'],
  },
  { name: 'an unknown demo fault', cmd: 'demo', args: ['--faults=nope'], code: 4, says: ['--faults', 'is not a demo fault'] },
];

hostileSuite('hostile input: configuration, policy and flags', cases, 35);
