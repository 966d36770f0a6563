/**
 * The procedure fields and validity statuses have one source each (src/text/fields.ts,
 * src/ingest/types.ts). The copies that cannot import it (the admin page: browser ES modules
 * and HTML, served as they are) and the field model's own ordered labels must agree with it.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { ASKABLE_FIELDS } from '../src/answer/learn/models.js';
import { VALIDITY_LABELS } from '../src/channels/source-page.js';
import { VALIDITY_STATUSES } from '../src/ingest/types.js';
import { PROCEDURE_FIELDS } from '../src/text/index.js';

const PAGE = path.resolve(import.meta.dirname, '../src/admin/page');

/** The object literal exported as `<name>` by the admin page's labels module. */
function adminJsObject(name: string): Record<string, unknown> {
  const source = readFileSync(path.join(PAGE, 'modules/labels.js'), 'utf8');
  const literal = new RegExp(`export const ${name} = (\\{[^}]*\\});`, 'u').exec(source)?.[1];
  if (literal === undefined) throw new Error(`modules/labels.js has no "export const ${name} = { … };"`);
  return runInNewContext(`(${literal})`) as Record<string, unknown>;
}

/** The options of a <select> in admin.html, without the empty "all" choice. */
function adminHtmlOptions(id: string): [string, string][] {
  const html = readFileSync(path.join(PAGE, 'admin.html'), 'utf8');
  const select = new RegExp(`<select id="${id}"[^>]*>([\\s\\S]*?)</select>`, 'u').exec(html)?.[1];
  if (select === undefined) throw new Error(`admin.html has no <select id="${id}">`);
  return [...select.matchAll(/<option value="([^"]*)">([^<]*)<\/option>/gu)]
    .filter((m) => m[1] !== '')
    .map((m) => [m[1]!, m[2]!]);
}

describe('validity statuses', () => {
  it('the admin page labels name and labels every status, as the source page does', () => {
    expect(adminJsObject('STATUS')).toEqual(VALIDITY_LABELS);
    expect(Object.keys(adminJsObject('STATUS'))).toEqual([...VALIDITY_STATUSES]);
    expect(Object.keys(adminJsObject('STATUS_TONE'))).toEqual([...VALIDITY_STATUSES]);
  });

  it('every status choice of the admin page offers the statuses in order', () => {
    for (const id of ['filter-status', 'upload-status', 'edit-status']) {
      expect(adminHtmlOptions(id), id).toEqual(VALIDITY_STATUSES.map((s) => [s, VALIDITY_LABELS[s]]));
    }
  });
});

describe('procedure fields', () => {
  it('the field model knows every field but doi_tuong, once each', () => {
    expect([...ASKABLE_FIELDS].sort()).toEqual(PROCEDURE_FIELDS.filter((f) => f !== 'doi_tuong').sort());
  });
});
