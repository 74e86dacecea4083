// Searches a directory for a secret everywhere a report can hide it: plain files, zip entries (traces), base64 (HTML report data, JSON attachments).
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';

/** The secret as raw text, URL-encoded, and as it appears inside base64 at each of the three byte alignments. */
export function needles(secret: string): Buffer[] {
  const forms = new Set([secret, encodeURIComponent(secret)]);
  const raw = Buffer.from(secret, 'utf8');
  for (let k = 0; k < 3; k++) {
    const b64 = Buffer.concat([Buffer.alloc(k, 0x20), raw]).toString('base64');
    // Only the 4-character groups made entirely of secret bytes are fixed, whatever surrounds the secret.
    const start = k === 0 ? 0 : 4;
    const end = Math.floor((k + raw.length) / 3) * 4;
    const core = b64.slice(start, end);
    if (core.length >= 8) forms.add(core);
  }
  return [...forms].map((f) => Buffer.from(f, 'utf8'));
}

export interface ZipEntry {
  readonly name: string;
  readonly data: Buffer;
}

/** Reads a zip's entries through its central directory (Playwright writes sizes there, not in the local headers). */
export function readZip(buf: Buffer): ZipEntry[] {
  let eocd = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 22 - 65_535); i--) {
    if (buf.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new Error('not a zip: no end-of-central-directory record');
  const count = buf.readUInt16LE(eocd + 10);
  let p = buf.readUInt32LE(eocd + 16);
  const entries: ZipEntry[] = [];
  for (let n = 0; n < count; n++) {
    if (buf.readUInt32LE(p) !== 0x02014b50) throw new Error(`bad central directory entry at ${p}`);
    const method = buf.readUInt16LE(p + 10);
    const compressedSize = buf.readUInt32LE(p + 20);
    const nameLen = buf.readUInt16LE(p + 28);
    const extraLen = buf.readUInt16LE(p + 30);
    const commentLen = buf.readUInt16LE(p + 32);
    const local = buf.readUInt32LE(p + 42);
    const name = buf.subarray(p + 46, p + 46 + nameLen).toString('utf8');
    if (compressedSize === 0xffffffff || local === 0xffffffff) throw new Error(`zip64 entry ${name} is not supported`);
    const dataStart = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
    const compressed = buf.subarray(dataStart, dataStart + compressedSize);
    let data: Buffer;
    if (method === 0) data = compressed;
    else if (method === 8) data = zlib.inflateRawSync(compressed);
    else throw new Error(`zip entry ${name} uses compression method ${method}`);
    entries.push({ name, data });
    p += 46 + nameLen + extraLen + commentLen;
  }
  return entries;
}

function isZip(buf: Buffer): boolean {
  return buf.length > 4 && buf.readUInt32LE(0) === 0x04034b50;
}

const DATA_URI = /data:application\/zip;base64,([A-Za-z0-9+/=]+)/g;

function scan(buf: Buffer, where: string, forms: readonly Buffer[], hits: string[], depth: number): void {
  if (forms.some((f) => buf.includes(f))) hits.push(where);
  if (depth > 4) return;
  if (isZip(buf)) for (const e of readZip(buf)) scan(e.data, `${where} » ${e.name}`, forms, hits, depth + 1);
  // The HTML report embeds its data as a base64 zip inside index.html.
  if (/\.html?$/.test(where) || where.endsWith('index.html')) {
    for (const m of buf.toString('latin1').matchAll(DATA_URI))
      scan(Buffer.from(m[1] ?? '', 'base64'), `${where} » embedded zip`, forms, hits, depth + 1);
  }
}

/** Every place under `dir` (files, zip entries, embedded zips) that contains the secret in any of its forms. */
export function findSecret(dir: string, secret: string): { hits: string[]; filesScanned: number; zipsOpened: number } {
  const forms = needles(secret);
  const hits: string[] = [];
  let filesScanned = 0;
  let zipsOpened = 0;
  const walk = (d: string) => {
    for (const entry of fs.readdirSync(d, { withFileTypes: true })) {
      const full = path.join(d, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.isFile()) {
        const buf = fs.readFileSync(full);
        filesScanned++;
        if (isZip(buf)) zipsOpened++;
        scan(buf, path.relative(dir, full), forms, hits, 0);
      }
    }
  };
  walk(dir);
  return { hits, filesScanned, zipsOpened };
}
