/**
 * Minimal argv parsing: `--flag`, `--key value`, `--key=value`, and positional arguments. A flag
 * the command does not take (`allowed`) is an error naming it and the ones it takes, so a typo such
 * as `--treshold 0.3` cannot be ignored silently.
 */
export function parseArgs(
  argv: string[],
  allowed: readonly string[],
): { positional: string[]; flags: Map<string, string | true> } {
  const positional: string[] = [];
  const flags = new Map<string, string | true>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (!a.startsWith('--')) {
      positional.push(a);
      continue;
    }
    const eq = a.indexOf('=');
    if (eq > 0) flags.set(a.slice(2, eq), a.slice(eq + 1));
    else if (argv[i + 1] !== undefined && !argv[i + 1]!.startsWith('--') && VALUE_FLAGS.has(a.slice(2))) {
      flags.set(a.slice(2), argv[++i]!);
    } else flags.set(a.slice(2), true);
  }
  const unknown = [...flags.keys()].filter((f) => !allowed.includes(f));
  if (unknown.length > 0) {
    const takes =
      allowed.length > 0 ? `it takes ${allowed.map((f) => `--${f}`).join(', ')}` : 'it takes no options';
    throw new Error(`unknown option ${unknown.map((f) => `--${f}`).join(', ')}; ${takes}`);
  }
  return { positional, flags };
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
  'split',
  'shared',
  'folds',
  'repeat-share',
  'cycled-duration',
  'questions',
]);
