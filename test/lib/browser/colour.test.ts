import { readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

const SRC = path.resolve(import.meta.dirname, '../../../src');

// The browser modules are JavaScript checked by tsconfig.browser.json; the Node project does not
// load their JSDoc types, so this is the slice of them the test uses.
interface ColourModule {
  isHexColour(value: unknown): boolean;
  luminance(hex: string): number;
  onColour(hex: string): '#fff' | '#111';
  themeColours(hex: string, fallback: string): Record<'--c' | '--on-c' | '--link', string>;
}
const colour = (await import(pathToFileURL(path.join(SRC, 'lib/browser/colour.js')).href)) as ColourModule;

/** The loader's own copy of the text-colour choice (a classic script cannot import a module). */
function loaderOnColor(): (hex: string) => string {
  const source = readFileSync(path.join(SRC, 'channels/widget/assets/loader.js'), 'utf8');
  const fn = /\n( *)function onColor\(hex\) \{[\s\S]*?\n\1\}/u.exec(source);
  if (!fn) throw new Error('onColor not found in loader.js');
  return new Function(`${fn[0]}\nreturn onColor;`)() as (hex: string) => string;
}

const hex = fc.oneof(
  fc.integer({ min: 0, max: 0xffffff }).map((n) => `#${n.toString(16).padStart(6, '0')}`),
  fc.integer({ min: 0, max: 0xfff }).map((n) => `#${n.toString(16).padStart(3, '0')}`),
);

describe('colour maths of the browser pages', () => {
  it('accepts 3- and 6-digit hex colours only', () => {
    expect(['#0b5cad', '#FFF', '#abc'].map(colour.isHexColour)).toEqual([true, true, true]);
    expect(['0b5cad', '#abcd', 'red', '#0b5cad; x', '', null, 7].map(colour.isHexColour)).toEqual([
      false,
      false,
      false,
      false,
      false,
      false,
      false,
    ]);
  });

  it('computes WCAG relative luminance', () => {
    expect(colour.luminance('#000')).toBe(0);
    expect(colour.luminance('#fff')).toBeCloseTo(1, 10);
    expect(colour.luminance('#0b5cad')).toBeCloseTo(0.1074, 4);
    expect(colour.luminance('#abc')).toBe(colour.luminance('#aabbcc'));
  });

  it('puts white on dark brand colours and near-black on light ones', () => {
    expect(colour.onColour('#0b5cad')).toBe('#fff');
    expect(colour.onColour('#ffd700')).toBe('#111');
    expect(colour.themeColours('#0b5cad', '#000')).toEqual({
      '--c': '#0b5cad',
      '--on-c': '#fff',
      '--link': '#0b5cad',
    });
    // Yellow on white is unreadable, so links fall back.
    expect(colour.themeColours('#ffd700', '#0b5cad')).toEqual({
      '--c': '#ffd700',
      '--on-c': '#111',
      '--link': '#0b5cad',
    });
  });

  it('the loader chooses the same text colour as the shared module, for any colour', () => {
    const onColor = loaderOnColor();
    fc.assert(fc.property(hex, (h) => onColor(h) === colour.onColour(h)));
  });
});
