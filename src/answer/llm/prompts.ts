import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { AppError } from '../../errors.js';

/** Who speaks a message of a prompt (Prompty-style `system:` / `user:` / `assistant:` lines). */
export type PromptRole = 'system' | 'user' | 'assistant';

/** One message of a prompt, still holding its `{{variable}}` placeholders. */
export interface PromptMessage {
  role: PromptRole;
  template: string;
}

/** A checked prompt file. */
export interface Prompt {
  name: string;
  /** The file it came from (base name), used in error messages. */
  file: string;
  description?: string;
  variables: readonly string[];
  messages: PromptMessage[];
}

/** A prompt rendered into chat messages. */
export interface RenderedMessage {
  role: PromptRole;
  content: string;
}

/** The prompts the LLM composer needs, by name. */
export interface Prompts {
  answer: Prompt;
  rewrite: Prompt;
}

/** The values the code supplies to each prompt; a file must declare exactly these. */
export const PROMPT_VARIABLES = {
  answer: ['question', 'passages', 'today'],
  rewrite: ['history', 'question'],
} as const satisfies Record<keyof Prompts, readonly string[]>;

const PLACEHOLDER = /\{\{([^{}]*)\}\}/g;
const NAME = /^[a-z_][a-z0-9_]*$/i;
const ROLE_LINE = /^(system|user|assistant):[ \t]*$/gm;
const FRONT_MATTER_KEYS = new Set(['name', 'description', 'variables']);

/** Reads `answer.md` and `rewrite.md` from dir and checks them; throws AppError('prompt_invalid') naming the file. */
export async function loadPrompts(dir: string): Promise<Prompts> {
  const load = async (name: keyof Prompts): Promise<Prompt> => {
    const file = `${name}.md`;
    let text: string;
    try {
      text = await readFile(path.join(dir, file), 'utf8');
    } catch (err) {
      throw new AppError('prompt_invalid', `${file}: cannot read the prompt file`, {
        cause: err,
        source: file,
      });
    }
    const prompt = parsePrompt(file, text);
    expectPrompt(prompt, name, PROMPT_VARIABLES[name]);
    return prompt;
  };
  return { answer: await load('answer'), rewrite: await load('rewrite') };
}

/** Parses one prompt file's text; every declared variable must be used and every placeholder declared. */
export function parsePrompt(file: string, text: string): Prompt {
  const fail = (why: string): AppError => new AppError('prompt_invalid', `${file}: ${why}`, { source: file });
  const { header, body } = splitFrontMatter(text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n'), fail);
  const meta = parseHeader(header, fail);
  const messages = splitMessages(body, fail);
  const used = new Set(messages.flatMap((m) => placeholdersOf(m.template, fail)));
  const declared = new Set(meta.variables);
  for (const name of used) {
    if (!declared.has(name)) throw fail(`placeholder {{${name}}} is not declared in "variables"`);
  }
  for (const name of declared) {
    if (!used.has(name)) throw fail(`variable "${name}" is declared but never used`);
  }
  return { ...meta, file, messages };
}

/** Substitutes every `{{name}}` in one pass; substituted values are never scanned again. */
export function render(prompt: Prompt, values: Readonly<Record<string, string>>): RenderedMessage[] {
  for (const name of prompt.variables) {
    if (values[name] === undefined) {
      throw new AppError('prompt_invalid', `${prompt.file}: no value given for {{${name}}}`, {
        source: prompt.file,
      });
    }
  }
  // A replacer function (not a replacement string) so "$&" or "{{x}}" inside a value stays literal.
  return prompt.messages.map((m) => ({
    role: m.role,
    content: m.template.replace(PLACEHOLDER, (_match, name: string) => values[name.trim()] ?? ''),
  }));
}

function expectPrompt(prompt: Prompt, name: string, variables: readonly string[]): void {
  const fail = (why: string): AppError =>
    new AppError('prompt_invalid', `${prompt.file}: ${why}`, { source: prompt.file });
  if (prompt.name !== name) throw fail(`"name" is "${prompt.name}", expected "${name}"`);
  const missing = variables.filter((v) => !prompt.variables.includes(v));
  const extra = prompt.variables.filter((v) => !variables.includes(v));
  if (missing.length > 0) throw fail(`must declare and use ${missing.map((v) => `{{${v}}}`).join(', ')}`);
  if (extra.length > 0)
    throw fail(`declares ${extra.map((v) => `"${v}"`).join(', ')}, which the code does not supply`);
}

function splitFrontMatter(text: string, fail: (why: string) => AppError): { header: string; body: string } {
  const match = /^---\n([\s\S]*?)\n---[ \t]*(?:\n|$)/.exec(text);
  if (!match) throw fail('missing the front-matter block (--- name / variables ---)');
  return { header: match[1] ?? '', body: text.slice(match[0].length) };
}

function parseHeader(
  header: string,
  fail: (why: string) => AppError,
): { name: string; description?: string; variables: string[] } {
  const fields = new Map<string, string>();
  for (const line of header.split('\n')) {
    if (line.trim() === '' || line.trimStart().startsWith('#')) continue;
    const m = /^([A-Za-z_]+):\s*(.*)$/.exec(line);
    if (!m?.[1]) throw fail(`cannot read front-matter line "${line.trim()}"`);
    if (!FRONT_MATTER_KEYS.has(m[1])) throw fail(`unknown front-matter key "${m[1]}"`);
    fields.set(m[1], (m[2] ?? '').trim());
  }
  const name = fields.get('name');
  if (!name) throw fail('front matter needs "name"');
  const list = /^\[(.*)\]$/.exec(fields.get('variables') ?? '');
  if (!list) throw fail('front matter needs "variables: [a, b, …]"');
  const variables = (list[1] ?? '')
    .split(',')
    .map((v) => v.trim())
    .filter((v) => v !== '');
  const bad = variables.find((v) => !NAME.test(v));
  if (bad !== undefined) throw fail(`"${bad}" is not a valid variable name`);
  if (new Set(variables).size !== variables.length) throw fail('a variable is declared twice');
  const description = fields.get('description');
  return { name, variables, ...(description ? { description } : {}) };
}

function splitMessages(body: string, fail: (why: string) => AppError): PromptMessage[] {
  const heads = [...body.matchAll(ROLE_LINE)];
  // Without role lines the whole body is the system message.
  if (heads.length === 0) return [{ role: 'system', template: nonEmpty(body, 'system', fail) }];
  if (body.slice(0, heads[0]?.index).trim() !== '')
    throw fail('text before the first role line (system: / user:)');
  return heads.map((head, i) => {
    const start = (head.index ?? 0) + head[0].length;
    const end = heads[i + 1]?.index ?? body.length;
    const role = head[1] as PromptRole;
    return { role, template: nonEmpty(body.slice(start, end), role, fail) };
  });
}

function nonEmpty(template: string, role: string, fail: (why: string) => AppError): string {
  const trimmed = template.trim();
  if (trimmed === '') throw fail(`the ${role} message is empty`);
  return trimmed;
}

function placeholdersOf(template: string, fail: (why: string) => AppError): string[] {
  const names = [...template.matchAll(PLACEHOLDER)].map((m) => (m[1] ?? '').trim());
  const bad = names.find((n) => !NAME.test(n));
  if (bad !== undefined) throw fail(`"{{${bad}}}" is not a valid placeholder`);
  // A stray "{{" or "}}" is almost always a mistyped placeholder that would reach the model verbatim.
  if (/\{\{|\}\}/.test(template.replace(PLACEHOLDER, ''))) throw fail('unbalanced "{{" or "}}"');
  return names;
}
