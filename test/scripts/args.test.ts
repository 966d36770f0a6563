import { describe, expect, it } from 'vitest';
import { parseArgs } from '../../scripts/lib/args.js';

describe('command-line options', () => {
  it('reads flags, values and positional arguments', () => {
    const { positional, flags } = parseArgs(
      ['../shared/datasets/tthc', '--threshold', '0.3', '--fold-queries', '--show=wrong'],
      ['threshold', 'fold-queries', 'show'],
    );
    expect(positional).toEqual(['../shared/datasets/tthc']);
    expect(flags).toEqual(
      new Map<string, string | true>([
        ['threshold', '0.3'],
        ['fold-queries', true],
        ['show', 'wrong'],
      ]),
    );
  });

  it('refuses a misspelt option instead of ignoring it, naming the options the command takes', () => {
    expect(() => parseArgs(['dir', '--treshold', '0.3'], ['threshold', 'fold-queries'])).toThrow(
      'unknown option --treshold; it takes --threshold, --fold-queries',
    );
    expect(() => parseArgs(['list', '--all'], [])).toThrow('unknown option --all; it takes no options');
  });
});
