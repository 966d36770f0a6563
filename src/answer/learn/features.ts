/**
 * Feature extraction of the learned decisions, one module for training (`npm run train`) and
 * serving, so the two cannot drift. Each extractor has a version name stored in the model files;
 * a model fitted on other features is refused when it is loaded.
 */
import { foldedWords } from '../../text/index.js';
import type { Features } from './linear.js';

/** Version of `textFeatures`; change it whenever the extraction changes. */
export const TEXT_FEATURES = 'folded-ngrams-v1';

/**
 * Binary features of a message's wording, on folded text so a message typed without diacritics
 * reads like a typed one: syllables, adjacent pairs (with the start and end of the message, so
 * "… không" at the end differs from "không" inside), and character 4-grams, which tolerate the
 * typos and chat spellings of citizens ("nhug", "bnhiu"). Digits are one symbol: "05 ngày" and
 * "7 ngày" read alike.
 */
export function textFeatures(message: string): Features {
  const words = foldedWords(message).map((w) => w.replace(/\d+/gu, '0'));
  const x: Features = new Map();
  const padded = ['^', ...words, '$'];
  for (const w of words) x.set(`w:${w}`, 1);
  for (let i = 1; i < padded.length; i++) x.set(`b:${padded[i - 1]}_${padded[i]}`, 1);
  const flat = ` ${words.join(' ')} `;
  for (let i = 0; i + 4 <= flat.length; i++) x.set(`c:${flat.slice(i, i + 4)}`, 1);
  return x;
}
