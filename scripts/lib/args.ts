import { parseArgs as parseNodeArgs } from 'node:util';

/**
 * Command-line options through `node:util` `parseArgs` in strict mode, with each script's own
 * options (`allowed`; those in `VALUE_FLAGS` take a value: `--key value` or `--key=value`, the
 * others are switches) and positional arguments. A flag the command does not take is an error
 * naming it and the ones it takes, so a typo such as `--treshold 0.3` cannot be ignored silently;
 * a value-taking flag without its value is an error too.
 */
export function parseArgs(
  argv: string[],
  allowed: readonly string[],
): { positional: string[]; flags: Map<string, string | true> } {
  const options = Object.fromEntries(
    allowed.map((f) => [f, { type: VALUE_FLAGS.has(f) ? ('string' as const) : ('boolean' as const) }]),
  );
  let parsed: ReturnType<typeof parseNodeArgs>;
  try {
    parsed = parseNodeArgs({ args: argv, options, strict: true, allowPositionals: true });
  } catch (err) {
    const e = err as { code?: string; message: string };
    if (e.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
      const name = /'(-[^']+)'/u.exec(e.message)?.[1] ?? e.message;
      const takes =
        allowed.length > 0 ? `it takes ${allowed.map((f) => `--${f}`).join(', ')}` : 'it takes no options';
      throw new Error(`unknown option ${name}; ${takes}`, { cause: err });
    }
    throw new Error(e.message, { cause: err });
  }
  const flags = new Map<string, string | true>();
  for (const [k, v] of Object.entries(parsed.values))
    if (typeof v === 'string' || v === true) flags.set(k, v);
  return { positional: parsed.positionals, flags };
}

/** Flags that take a value when written as `--key value`. */
const VALUE_FLAGS = new Set([
  'k',
  'mode',
  'corpus',
  'audience',
  'status',
  'duration',
  'connections',
  'embedder',
  'limit',
  'out',
  'role',
  'endpoint',
  'show',
  'threshold',
  'events',
  'duplicates',
  'bursts',
  'steady',
  'pages',
  'dpi',
  'workers',
  'shared',
  'runs',
  'servers',
  'split',
  'folds',
  'repeat-share',
  'cycled-duration',
  'questions',
  'warmup',
  'typed',
  'frames',
]);
