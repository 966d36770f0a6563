// @ts-check
/* Trợ lý Công vụ: colour maths for themeable pages (WCAG 2 relative luminance and contrast).
 * Shared by the browser pages; served as an ES module at /assets/lib/browser/colour.js. The
 * widget's loader (a classic script on portal pages, src/channels/widget/assets/loader.js) keeps
 * its own copy of `onColour`; test/lib/browser/colour.test.ts holds the two to the same answers. */

const HEX_RE = /^#(?:[0-9a-f]{3}|[0-9a-f]{6})$/i;

/**
 * Whether `value` is a CSS hex colour of 3 or 6 digits ("#0b5cad", "#fff").
 * @param {unknown} value
 * @returns {value is string}
 */
export function isHexColour(value) {
  return typeof value === 'string' && HEX_RE.test(value);
}

/**
 * WCAG relative luminance of a hex colour, 0 (black) to 1 (white).
 * @param {string} hex "#rgb" or "#rrggbb" (see `isHexColour`)
 * @returns {number}
 */
export function luminance(hex) {
  let h = hex.slice(1);
  if (h.length === 3) h = h.replace(/./g, '$&$&');
  let l = 0;
  [0.2126, 0.7152, 0.0722].forEach((k, i) => {
    const c = parseInt(h.slice(i * 2, i * 2 + 2), 16) / 255;
    l += k * (c <= 0.04045 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4));
  });
  return l;
}

/**
 * Contrast ratio of white text on a colour of luminance `l` (1 to 21).
 * @param {number} l relative luminance
 * @returns {number}
 */
export function contrastWithWhite(l) {
  return 1.05 / (l + 0.05);
}

/**
 * White or near-black (#111), whichever reads better on `hex`.
 * @param {string} hex "#rgb" or "#rrggbb"
 * @returns {'#fff' | '#111'}
 */
export function onColour(hex) {
  const l = luminance(hex);
  return contrastWithWhite(l) >= (l + 0.05) / 0.0556 ? '#fff' : '#111';
}

/**
 * The theme's custom properties for a brand colour: `--c` the colour, `--on-c` the text on it, and
 * `--link` the colour of links and outlined buttons on white — the brand colour when it has 4.5:1
 * contrast there (WCAG AA), `fallback` otherwise.
 * @param {string} hex "#rgb" or "#rrggbb"
 * @param {string} fallback a colour that reads on white
 * @returns {{ '--c': string, '--on-c': '#fff' | '#111', '--link': string }}
 */
export function themeColours(hex, fallback) {
  return {
    '--c': hex,
    '--on-c': onColour(hex),
    '--link': contrastWithWhite(luminance(hex)) >= 4.5 ? hex : fallback,
  };
}
