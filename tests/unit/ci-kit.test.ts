// The CI kit parses and holds together: every workflow under .github/ against GitHub's workflow schema plus
// actionlint-style checks, every Kubernetes manifest under deploy/ against the Kubernetes schemas, every Dockerfile
// through a Dockerfile linter (no container runtime here), and each `npm run <x>` they call exists in package.json.
// Whatever files exist there are checked, not a fixed list.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { validateWorkflow } from '@action-validator/core';
import { DockerfileParser } from 'dockerfile-ast';
import { validate as lintDockerfile } from 'dockerfile-utils';
import { parseAllDocuments } from 'yaml';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const SCRIPTS = new Set(Object.keys((JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: object }).scripts));

function filesUnder(dir: string, match: (name: string) => boolean): string[] {
  const abs = path.join(ROOT, dir);
  if (!fs.existsSync(abs)) return [];
  return (fs.readdirSync(abs, { recursive: true }) as string[])
    .filter((f) => match(path.basename(f)) && fs.statSync(path.join(abs, f)).isFile())
    .map((f) => path.join(dir, f))
    .sort();
}
const isYaml = (n: string) => /\.ya?ml$/.test(n);
const WORKFLOWS = filesUnder('.github', isYaml).filter((f) => f.startsWith(path.join('.github', 'workflows')));
const OTHER_GITHUB_YAML = filesUnder('.github', isYaml).filter((f) => !WORKFLOWS.includes(f));
const MANIFESTS = filesUnder('deploy', isYaml);
const DOCKERFILES = [
  ...(fs.existsSync(path.join(ROOT, 'Dockerfile')) ? ['Dockerfile'] : []),
  ...filesUnder('deploy', (n) => /^Dockerfile/.test(n)),
];
const read = (f: string) => fs.readFileSync(path.join(ROOT, f), 'utf8');

/** `npm run <script>` (and `npm run-script`) in a command line; `npm test` and `npm ci` are npm's own. */
const npmScripts = (command: string): string[] => [...command.matchAll(/\bnpm\s+run(?:-script)?\s+([\w:.-]+)/g)].map((m) => m[1]!);
const missingScripts = (commands: readonly string[]) => commands.flatMap(npmScripts).filter((s) => !SCRIPTS.has(s));

function yamlDocs(text: string): unknown[] {
  const docs = parseAllDocuments(text, { prettyErrors: true, uniqueKeys: true });
  const errors = docs.flatMap((d) => d.errors.map((e) => e.message));
  assert.deepEqual(errors, [], 'YAML errors');
  return docs.map((d) => d.toJS() as unknown).filter((d) => d !== null);
}

type Step = { id?: string; uses?: string; run?: string; if?: string };
type Job = { needs?: string | string[]; steps?: Step[] };

/** What actionlint would catch beyond the schema: unpinned actions, duplicate or unknown step ids, unknown needs, missing npm scripts. */
function workflowProblems(text: string): string[] {
  const problems = validateWorkflow(text).errors.map(
    (e) => `schema: ${'path' in e ? e.path : ''} ${e.title}${e.detail ? ` (${e.detail})` : ''}`,
  );
  const wf = yamlDocs(text)[0] as { jobs?: Record<string, Job> };
  const jobs = wf.jobs ?? {};
  for (const [name, job] of Object.entries(jobs)) {
    for (const need of [job.needs ?? []].flat()) if (!(need in jobs)) problems.push(`job ${name} needs an unknown job ${need}`);
    const ids: string[] = [];
    for (const step of job.steps ?? []) {
      if (step.uses && !/^(\.\/|docker:\/\/)/.test(step.uses) && !/@[\w.-]+$/.test(step.uses))
        problems.push(`${step.uses} is not pinned to a version`);
      if (step.id) {
        if (ids.includes(step.id)) problems.push(`step id ${step.id} twice in job ${name}`);
        ids.push(step.id);
      }
      const text = JSON.stringify(step);
      for (const m of text.matchAll(/\bsteps\.([\w-]+)\./g))
        if (!ids.includes(m[1]!) || m[1] === step.id) problems.push(`job ${name} refers to step ${m[1]} before (or without) it`);
    }
    for (const s of missingScripts((job.steps ?? []).map((st) => st.run ?? '')))
      problems.push(`npm run ${s}: no such script in package.json`);
  }
  return problems;
}

type K8sModel = new (x: unknown) => { validate(): void };

/** The schema class of one apiVersion and kind, imported alone: the whole kubernetes-models index takes over a second to load. */
async function k8sModel(apiVersion: string, kind: string): Promise<K8sModel | undefined> {
  if (!/^[\w.-]+(?:\/[\w.-]+)?$/.test(apiVersion) || !/^\w+$/.test(kind)) return undefined;
  try {
    return ((await import(`kubernetes-models/${apiVersion}/${kind}`)) as Record<string, K8sModel | undefined>)[kind];
  } catch {
    return undefined; // no such group, version or kind
  }
}

/** Each document against the Kubernetes schema of its apiVersion and kind, and the npm scripts its containers run. */
async function manifestProblems(text: string): Promise<string[]> {
  const problems: string[] = [];
  for (const doc of yamlDocs(text) as { apiVersion?: string; kind?: string; [k: string]: unknown }[]) {
    if (!doc.apiVersion || !doc.kind) {
      problems.push('a document without apiVersion and kind');
      continue;
    }
    const Model = await k8sModel(doc.apiVersion, doc.kind);
    // Kustomize's own file is configuration for a tool, not an API object: parsed, its commands checked, no schema.
    if (!Model && !doc.apiVersion.startsWith('kustomize.config.k8s.io/'))
      problems.push(`no Kubernetes schema for ${doc.apiVersion} ${doc.kind}`);
    try {
      if (Model) new Model(doc).validate();
    } catch (e) {
      problems.push(`${doc.kind}: ${(e as Error).message}`);
    }
    const commands = [...JSON.stringify(doc).matchAll(/"(?:command|args)":\[([^\]]*)\]/g)].map((m) =>
      (JSON.parse(`[${m[1]}]`) as string[]).join(' '),
    );
    for (const s of missingScripts(commands)) problems.push(`npm run ${s}: no such script in package.json`);
  }
  return problems;
}

/** Lint errors, and the rules of this kit: a Debian base, Debian's Node and Chromium, nothing fetched from elsewhere, smoke by default. */
function dockerfileProblems(text: string): string[] {
  const problems = lintDockerfile(text)
    .filter((d) => d.severity === 1)
    .map((d) => `line ${d.range.start.line + 1}: ${d.message}`);
  const df = DockerfileParser.parse(text);
  for (const from of df.getFROMs())
    if (from.getImageName() !== 'debian' && !df.getFROMs().some((f) => f.getBuildStage() === from.getImageName()))
      problems.push(`FROM ${from.getImageName()}: the image must be Debian-based (debian:*)`);
  const runs = df
    .getInstructions()
    .filter((i) => i.getKeyword() === 'RUN')
    .map((i) => i.getArgumentsContent() ?? '');
  const installed = runs.join(' ');
  for (const pkg of ['nodejs', 'chromium'])
    if (!new RegExp(`apt-get install[^&;]*\\b${pkg}\\b`).test(installed)) problems.push(`Debian's ${pkg} is not installed`);
  if (/\b(curl|wget)\b|https?:\/\//.test(installed) || df.getInstructions().some((i) => i.getKeyword() === 'ADD'))
    problems.push('something is downloaded from outside the Debian and npm registries');
  const cmd =
    df
      .getCMDs()
      .at(-1)
      ?.getJSONStrings()
      .map((s) => s.getJSONValue()) ?? [];
  if (cmd.join(' ') !== 'npm run smoke')
    problems.push(`the default command is ${JSON.stringify(cmd)}, not the smoke suite (npm run smoke)`);
  for (const s of missingScripts([...runs, cmd.join(' ')])) problems.push(`npm run ${s}: no such script in package.json`);
  return problems;
}

describe('the CI kit in the repository', () => {
  it('has the post-deploy workflow and a Dockerfile', () => {
    assert.ok(WORKFLOWS.includes(path.join('.github', 'workflows', 'post-deploy.yml')), WORKFLOWS.join(', '));
    assert.ok(DOCKERFILES.length >= 1);
  });
  for (const f of WORKFLOWS) it(`${f} is a valid workflow whose commands exist`, () => assert.deepEqual(workflowProblems(read(f)), []));
  for (const f of OTHER_GITHUB_YAML) it(`${f} parses`, () => assert.ok(yamlDocs(read(f)).length >= 1));
  for (const f of MANIFESTS)
    it(`${f} is valid Kubernetes whose commands exist`, async () => assert.deepEqual(await manifestProblems(read(f)), []));
  for (const f of DOCKERFILES)
    it(`${f} lints clean, builds from Debian and npm only, and runs the smoke suite`, () =>
      assert.deepEqual(dockerfileProblems(read(f)), []));

  it('post-deploy runs on a successful deployment, keeps the Allure history, uploads both reports and exits with the decision', () => {
    const text = read(path.join('.github', 'workflows', 'post-deploy.yml'));
    const wf = yamlDocs(text)[0] as {
      on: Record<string, unknown>;
      jobs: Record<string, Job & { if?: string; env?: Record<string, string> }>;
    };
    assert.ok('deployment_status' in wf.on);
    const [job] = Object.values(wf.jobs);
    assert.match(job!.if ?? '', /deployment_status\.state == 'success'/);
    assert.match(job!.env?.AFTERCHECK_RUN_ID ?? '', /github\.run_id/);
    const steps = job!.steps ?? [];
    const runs = steps.map((s) => s.run ?? '').join('\n');
    for (const script of ['smoke', 'verdict', 'report']) assert.ok(npmScripts(runs).includes(script), `npm run ${script}`);
    assert.ok(
      steps.some((s) => s.uses?.startsWith('actions/cache/restore@')) && steps.some((s) => s.uses?.startsWith('actions/cache/save@')),
    );
    assert.match(runs, /report -- --single-file/);
    assert.equal(steps.filter((s) => s.uses?.startsWith('actions/upload-artifact@')).length, 2);
    assert.match(steps.at(-1)!.run ?? '', /^exit /);
  });
});

describe('the checks find what is wrong', () => {
  const good = read(path.join('.github', 'workflows', 'post-deploy.yml'));
  const rows: [string, string][] = [
    ['a misspelt key fails the schema', good.replace('runs-on:', 'runs-onn:')],
    ['an npm script that does not exist', good.replace('npm run smoke', 'npm run smok')],
    ['an unpinned action', good.replace('actions/checkout@v4', 'actions/checkout')],
    ['a step output used before the step', good.replace('steps.verdict.outputs.code', 'steps.later.outputs.code')],
  ];
  for (const [name, text] of rows) it(`workflow: ${name}`, () => assert.notDeepEqual(workflowProblems(text), []));

  it('Kubernetes: a CronJob without a schedule, a command calling a missing npm script, an unknown kind', async () => {
    const cron = (schedule: string, args: string) =>
      `apiVersion: batch/v1\nkind: CronJob\nmetadata: {name: x}\nspec:\n${schedule}  jobTemplate:\n    spec:\n      template:\n        spec:\n          restartPolicy: Never\n          containers: [{name: a, image: aftercheck, command: [npm, run, ${args}]}]\n`;
    assert.deepEqual(await manifestProblems(cron("  schedule: '*/5 * * * *'\n", 'smoke')), []);
    assert.match((await manifestProblems(cron('', 'smoke'))).join('\n'), /schedule/);
    assert.match((await manifestProblems(cron("  schedule: '*/5 * * * *'\n", 'nope'))).join('\n'), /npm run nope/);
    assert.match(
      (await manifestProblems(cron("  schedule: '*/5 * * * *'\n", 'smoke').replace('kind: CronJob', 'kind: CronJobb'))).join('\n'),
      /no Kubernetes schema for batch\/v1 CronJobb/,
    );
  });

  it('Dockerfile: an unknown instruction, a non-Debian base, a download, another default command', () => {
    const good = read('Dockerfile');
    assert.match(dockerfileProblems(good.replace('USER aftercheck', 'USR aftercheck')).join('\n'), /Unknown instruction/);
    assert.match(dockerfileProblems(good.replace('FROM debian:trixie-slim AS base', 'FROM node:20 AS base')).join('\n'), /Debian-based/);
    assert.match(
      dockerfileProblems(good.replace('ca-certificates git', 'ca-certificates git curl && curl -o x https://example.com/x')).join('\n'),
      /downloaded/,
    );
    assert.match(
      dockerfileProblems(good.replace('CMD ["npm", "run", "smoke"]', 'CMD ["npm", "run", "verdict"]')).join('\n'),
      /not the smoke suite/,
    );
  });
});
