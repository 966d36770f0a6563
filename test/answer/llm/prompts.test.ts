import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AppError } from '../../../src/errors.js';
import { loadPrompts, parsePrompt, render } from '../../../src/answer/llm/prompts.js';

const PROMPTS_DIR = path.resolve('prompts');

const REWRITE_OK = `---
name: rewrite
variables: [history, question]
---
system:
Viết lại câu hỏi.
user:
{{history}}
Câu hỏi: {{question}}
`;

async function promptsDir(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'prompts-'));
  for (const [name, text] of Object.entries(files)) await writeFile(path.join(dir, name), text, 'utf8');
  return dir;
}

async function rejection(promise: Promise<unknown>): Promise<AppError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AppError);
  return err as AppError;
}

describe('loadPrompts', () => {
  const dirs: string[] = [];
  afterEach(async () => {
    await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
  });

  it('loads the bundled prompts with their declared variables and roles', async () => {
    const prompts = await loadPrompts(PROMPTS_DIR);
    expect(prompts.answer.variables).toEqual(['question', 'passages', 'today']);
    expect(prompts.answer.messages.map((m) => m.role)).toEqual(['system', 'user']);
    expect(prompts.rewrite.variables).toEqual(['history', 'question']);
    expect(prompts.rewrite.messages.map((m) => m.role)).toEqual(['system', 'user']);
    expect(prompts.answer.messages[0]?.template).toContain('Tôi không tìm thấy thông tin này trong tài liệu');
  });

  it('rejects a placeholder that is not declared, naming the file', async () => {
    const dir = await promptsDir({
      'answer.md': `---\nname: answer\nvariables: [question, passages, today]\n---\n{{question}} {{passages}} {{today}} {{hotline}}\n`,
      'rewrite.md': REWRITE_OK,
    });
    dirs.push(dir);
    const err = await rejection(loadPrompts(dir));
    expect(err.code).toBe('prompt_invalid');
    expect(err.message).toBe('answer.md: placeholder {{hotline}} is not declared in "variables"');
  });

  it('rejects a declared variable that is never used, naming the file', async () => {
    const dir = await promptsDir({
      'answer.md': `---\nname: answer\nvariables: [question, passages, today]\n---\nsystem:\nHôm nay {{today}}.\nuser:\n{{passages}}\n`,
      'rewrite.md': REWRITE_OK,
    });
    dirs.push(dir);
    const err = await rejection(loadPrompts(dir));
    expect(err.code).toBe('prompt_invalid');
    expect(err.message).toBe('answer.md: variable "question" is declared but never used');
  });

  it('rejects a file that drops a variable the code supplies', async () => {
    const dir = await promptsDir({
      'answer.md': `---\nname: answer\nvariables: [question, passages, today]\n---\n{{question}} {{passages}} {{today}}\n`,
      'rewrite.md': `---\nname: rewrite\nvariables: [question]\n---\n{{question}}\n`,
    });
    dirs.push(dir);
    const err = await rejection(loadPrompts(dir));
    expect(err.message).toBe('rewrite.md: must declare and use {{history}}');
  });

  it('rejects a missing file with its name', async () => {
    const dir = await promptsDir({ 'rewrite.md': REWRITE_OK });
    dirs.push(dir);
    const err = await rejection(loadPrompts(dir));
    expect(err.code).toBe('prompt_invalid');
    expect(err.message).toBe('answer.md: cannot read the prompt file');
  });
});

describe('parsePrompt', () => {
  it.each([
    [
      'no front matter',
      'Xin chào {{question}}',
      'x.md: missing the front-matter block (--- name / variables ---)',
    ],
    [
      'a stray brace',
      '---\nname: x\nvariables: [question]\n---\n{{question}} {{oops}\n',
      'x.md: unbalanced "{{" or "}}"',
    ],
    [
      'an unknown key',
      '---\nname: x\nvars: [question]\n---\n{{question}}\n',
      'x.md: unknown front-matter key "vars"',
    ],
    [
      'text before a role',
      '---\nname: x\nvariables: [q]\n---\nhello\nuser:\n{{q}}\n',
      'x.md: text before the first role line (system: / user:)',
    ],
    [
      'an empty message',
      '---\nname: x\nvariables: [q]\n---\nsystem:\n\nuser:\n{{q}}\n',
      'x.md: the system message is empty',
    ],
  ])('rejects %s', (_case, text, message) => {
    expect(() => parsePrompt('x.md', text)).toThrow(message);
  });

  it('accepts CRLF line endings and a BOM', () => {
    const prompt = parsePrompt(
      'x.md',
      '\uFEFF---\r\nname: x\r\nvariables: [q]\r\n---\r\nuser:\r\nHỏi: {{ q }}\r\n',
    );
    expect(prompt.messages).toEqual([{ role: 'user', template: 'Hỏi: {{ q }}' }]);
  });
});

describe('render', () => {
  const prompt = parsePrompt(
    'x.md',
    '---\nname: x\nvariables: [question, passages]\n---\nsystem:\nDữ liệu: {{passages}}\nuser:\n{{question}}\n',
  );

  it('substitutes in one pass: placeholders and "$" patterns inside values stay literal', () => {
    const messages = render(prompt, {
      question: 'Lệ phí {{passages}} là $& bao nhiêu?',
      passages: 'đoạn {{question}}',
    });
    expect(messages).toEqual([
      { role: 'system', content: 'Dữ liệu: đoạn {{question}}' },
      { role: 'user', content: 'Lệ phí {{passages}} là $& bao nhiêu?' },
    ]);
  });

  it('rejects a missing value', () => {
    expect(() => render(prompt, { question: 'q' })).toThrow('x.md: no value given for {{passages}}');
  });
});
