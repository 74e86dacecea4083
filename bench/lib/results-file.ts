// bench/RESULTS.md as labelled blocks: a run replaces the block with its own label and keeps every other (e.g. "before" and "after").
const begin = (label: string) => `<!-- bench:begin ${label} -->`;
const end = (label: string) => `<!-- bench:end ${label} -->`;
const BLOCK = /<!-- bench:begin ([^>]+?) -->\n[\s\S]*?<!-- bench:end \1 -->\n?/g;

export const HEADER = `# aftercheck benchmarks

Written by \`npm run bench\` (see the README's "Tests, CI and benchmarks"). Each labelled section below is one full run,
measured on the commit it names; \`npm run bench -- --label <name>\` replaces its own section and keeps the others.
Every headline is a ratio to a floor measured in the same run, in alternating rounds; medians with min–max.
`;

export interface Block {
  readonly label: string;
  readonly text: string;
}

/** The labelled blocks of an existing file, in order, and the text before the first one. */
export function parseResults(existing: string): { header: string; blocks: Block[] } {
  const blocks: Block[] = [];
  for (const m of existing.matchAll(BLOCK)) blocks.push({ label: m[1]!, text: m[0].replace(/\n?$/, '\n') });
  const first = existing.search(/<!-- bench:begin /);
  return { header: first < 0 ? existing : existing.slice(0, first), blocks };
}

/** The file with `label`'s block replaced (in place) or added (at the end); an empty or missing file gets the header. */
export function mergeResults(existing: string | undefined, label: string, body: string): string {
  const { header, blocks } = parseResults(existing ?? '');
  const text = `${begin(label)}\n${body.trim()}\n${end(label)}\n`;
  const at = blocks.findIndex((b) => b.label === label);
  const next = at < 0 ? [...blocks, { label, text }] : blocks.map((b, i) => (i === at ? { label, text } : b));
  const head = header.trim() ? header.replace(/\s*$/, '\n\n') : `${HEADER}\n`;
  return `${head}${next.map((b) => b.text).join('\n')}`;
}
