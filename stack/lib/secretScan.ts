// Looks for secrets where they must never be: answers, logs, the built bundle (stack/test/secrets.drill.ts).
// A secret can leak in more than its raw form: URL-encoded in a DSN or query string, or base64-encoded inside a
// larger blob (a basic-auth header, an encoded frame). Base64 of a substring depends on its byte offset in the
// blob, so each of the three alignments is searched by its stable middle part.
import fs from 'node:fs';
import path from 'node:path';

export interface Secret {
  /** Printed in place of the value (e.g. "monitorPassword"); the value itself is never printed. */
  name: string;
  value: string;
}

/** A secret found somewhere: which one, in which form, where. Never the value. */
export interface Finding {
  secret: string;
  form: string;
  where: string;
}

/** The byte patterns a secret leaks as: raw, URL-encoded, and base64 at each of the three alignments. */
export function leakForms(value: string): Array<{ form: string; bytes: Buffer }> {
  const raw = Buffer.from(value, 'utf8');
  const forms = [{ form: 'raw', bytes: raw }];
  const url = encodeURIComponent(value);
  if (url !== value) {
    forms.push({ form: 'url-encoded', bytes: Buffer.from(url) });
  }
  for (let pad = 0; pad < 3; pad++) {
    const b64 = Buffer.concat([Buffer.alloc(pad), raw]).toString('base64');
    // Drop the first 4-char group when padding shares it, and the last group when the value's end shares it
    // with whatever follows in the blob; what is left encodes only the secret's own bytes.
    const start = pad === 0 ? 0 : 4;
    const end = (pad + raw.length) % 3 === 0 ? b64.length : b64.length - 4;
    const stable = b64.slice(start, end);
    if (stable.length >= 8) {
      forms.push({ form: `base64 (offset ${pad})`, bytes: Buffer.from(stable) });
      const urlSafe = stable.replace(/\+/g, '-').replace(/\//g, '_');
      if (urlSafe !== stable) {
        forms.push({ form: `base64url (offset ${pad})`, bytes: Buffer.from(urlSafe) });
      }
    }
  }
  return forms;
}

/** Every secret (by name and form) that occurs in `haystack`, labelled `where`. */
export function scanBuffer(haystack: Buffer | string, secrets: Secret[], where: string): Finding[] {
  const buf = typeof haystack === 'string' ? Buffer.from(haystack, 'utf8') : haystack;
  const found: Finding[] = [];
  for (const s of secrets) {
    for (const f of leakForms(s.value)) {
      if (buf.includes(f.bytes)) {
        found.push({ secret: s.name, form: f.form, where });
      }
    }
  }
  return found;
}

/** Regular files under `root` (a file or a directory), recursively; symlinks are not followed. */
export function filesUnder(root: string): string[] {
  const st = fs.lstatSync(root, { throwIfNoEntry: false });
  if (!st) {
    return [];
  }
  if (st.isFile()) {
    return [root];
  }
  if (!st.isDirectory()) {
    return [];
  }
  return fs
    .readdirSync(root)
    .sort()
    .flatMap((n) => filesUnder(path.join(root, n)));
}

/** scanBuffer over every file under each root, one file at a time (dist/ holds ~100 MB of binaries). */
export function scanFiles(roots: string[], secrets: Secret[]): { files: number; findings: Finding[] } {
  let files = 0;
  const findings: Finding[] = [];
  for (const root of roots) {
    for (const f of filesUnder(root)) {
      files++;
      findings.push(...scanBuffer(fs.readFileSync(f), secrets, f));
    }
  }
  return { files, findings };
}

/** One line per finding, safe to print: names, forms and places, never the value. */
export function describeFindings(findings: Finding[]): string {
  return findings.map((f) => `${f.secret} (${f.form}) in ${f.where}`).join('\n');
}
