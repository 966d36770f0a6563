/**
 * Labelled answer sets (single questions and conversations, the layout of
 * ../shared/datasets/tthc-answers) played through the answer layer and judged by the same rules
 * as the shared scorers: cited = not declined and the first citation is gold; facts = every fact
 * group has one alternative in the answer text; declined = not grounded.
 */
import { performance } from 'node:perf_hooks';
import { z } from 'zod';
import { AppError } from '../errors.js';
import { readJsonObjects } from '../retrieve/evaluation.js';
import type { Answer, Assistant } from './types.js';

const questionSchema = z.object({
  _id: z.string(),
  text: z.string(),
  source: z.string().default('question'),
  field: z.string().default('general'),
  gold: z.array(z.string()),
  facts: z.array(z.array(z.string())).default([]),
});

const turnSchema = z.object({
  text: z.string(),
  expect: z.enum(['answer', 'decline']),
  gold: z.array(z.string()).default([]),
  facts: z.array(z.array(z.string())).default([]),
  field: z.string().default('general'),
});

const dialogueSchema = z.object({
  _id: z.string(),
  style: z.string().default(''),
  turns: z.array(turnSchema).min(1),
});

export type LabelledQuestion = z.infer<typeof questionSchema>;
export type LabelledTurn = z.infer<typeof turnSchema>;
export type Dialogue = z.infer<typeof dialogueSchema>;

/** Kinds of conversation turns, as the dialogue scorer names them. */
export type TurnKind = 'first' | 'followup' | 'switch' | 'decline';

async function readLines<T>(file: string, schema: z.ZodType<T>): Promise<T[]> {
  return (await readJsonObjects(file)).map((raw, i) => {
    const parsed = schema.safeParse(raw);
    if (!parsed.success)
      throw new AppError(
        'bad_request',
        `${file}: record ${i + 1}: ${parsed.error.issues[0]?.message ?? 'invalid'}`,
      );
    return parsed.data;
  });
}

export const readQuestions = (file: string): Promise<LabelledQuestion[]> => readLines(file, questionSchema);
export const readDialogues = (file: string): Promise<Dialogue[]> => readLines(file, dialogueSchema);

/** Lower-cased NFC text with one space and digit-group separators dropped (50.000 = 50,000 = 50000). */
export function judgeText(s: string): string {
  return s
    .normalize('NFC')
    .toLowerCase()
    .replace(/\s+/gu, ' ')
    .trim()
    .replace(/(?<=\d)[.,](?=\d{3})/gu, '');
}

/** True when every fact group has one alternative in the answer. */
export function factsQuoted(answer: string, facts: readonly (readonly string[])[]): boolean {
  const text = judgeText(answer);
  return facts.every((group) => group.some((f) => text.includes(judgeText(f))));
}

/** The scorer's kind of each turn: a later answerable turn sharing no gold code with the previous answerable one is a switch. */
export function turnKinds(turns: readonly LabelledTurn[]): TurnKind[] {
  let prev: string[] | null = null;
  return turns.map((t, i) => {
    if (t.expect === 'decline') return 'decline';
    const kind: TurnKind =
      i === 0 ? 'first' : prev !== null && !t.gold.some((g) => prev!.includes(g)) ? 'switch' : 'followup';
    prev = t.gold;
    return kind;
  });
}

/** One judged message. */
export interface JudgedMessage {
  id: string;
  text: string;
  group: string;
  answer: Answer;
  answerable: boolean;
  /** Gold codes (empty when the message should be declined). */
  gold: string[];
  cited: boolean;
  facts: boolean;
  /** Whether the message names facts to quote (a set written without them is judged on citations only). */
  hasFacts: boolean;
  declined: boolean;
  ms: number;
}

function judge(
  id: string,
  text: string,
  group: string,
  gold: string[],
  facts: string[][],
  answer: Answer,
  ms: number,
): JudgedMessage {
  const declined = !answer.grounded;
  const first = answer.citations[0]?.sourceId ?? '';
  const answerable = gold.length > 0;
  return {
    id,
    text,
    group,
    answer,
    answerable,
    gold,
    declined,
    cited: answerable && !declined && gold.includes(first),
    facts: answerable && !declined && factsQuoted(answer.answer, facts),
    hasFacts: facts.length > 0,
    ms,
  };
}

/** Asks every question in a fresh conversation; the group is the question's source ('unanswerable' when it has no gold). */
export async function playQuestions(
  assistant: Assistant,
  questions: readonly LabelledQuestion[],
  transform = (s: string) => s,
): Promise<JudgedMessage[]> {
  const out: JudgedMessage[] = [];
  for (const q of questions) {
    const text = transform(q.text);
    const t0 = performance.now();
    const answer = await assistant.reply({ message: text, channel: 'api', audience: 'public' });
    out.push(
      judge(
        q._id,
        text,
        q.gold.length > 0 ? q.source : 'unanswerable',
        q.gold,
        q.facts,
        answer,
        performance.now() - t0,
      ),
    );
  }
  return out;
}

/** Plays every conversation, later turns in the conversation of the first answer; the group is the turn kind. */
export async function playDialogues(
  assistant: Assistant,
  dialogues: readonly Dialogue[],
): Promise<JudgedMessage[]> {
  const out: JudgedMessage[] = [];
  for (const d of dialogues) {
    const kinds = turnKinds(d.turns);
    let conversationId: string | undefined;
    for (const [i, t] of d.turns.entries()) {
      const t0 = performance.now();
      const answer = await assistant.reply({
        message: t.text,
        channel: 'api',
        audience: 'public',
        ...(conversationId ? { conversationId } : {}),
      });
      conversationId ??= answer.conversationId;
      out.push(
        judge(
          `${d._id}#${i + 1}`,
          t.text,
          kinds[i]!,
          t.expect === 'decline' ? [] : t.gold,
          t.facts,
          answer,
          performance.now() - t0,
        ),
      );
    }
  }
  return out;
}

/** Figures of one group: cited, facts and declined shares (declined is the right outcome when nothing is answerable). */
export interface GroupFigures {
  n: number;
  cited: number | null;
  facts: number | null;
  declined: number;
}

/** Figures per group, in first-seen order. */
export function figures(judged: readonly JudgedMessage[]): Map<string, GroupFigures> {
  const out = new Map<string, GroupFigures>();
  const share = (n: number, d: number) => Math.round((n / Math.max(1, d)) * 1000) / 1000;
  for (const group of new Set(judged.map((j) => j.group))) {
    const of = judged.filter((j) => j.group === group);
    const answerable = of.filter((j) => j.answerable);
    out.set(group, {
      n: of.length,
      cited:
        answerable.length > 0 ? share(answerable.filter((j) => j.cited).length, answerable.length) : null,
      facts: answerable.some((j) => j.hasFacts)
        ? share(answerable.filter((j) => j.facts).length, answerable.length)
        : null,
      declined: share(of.filter((j) => j.declined).length, of.length),
    });
  }
  return out;
}
