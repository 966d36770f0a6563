/**
 * Examples and fits of the learned decisions (`npm run train`; the test that a refit reproduces
 * the bundled files uses the same functions). Examples come from the project's own training files
 * (training/*.jsonl, reviewed like code), from the `train` files of the shared answer sets and
 * from the field-tagged tthc questions; `check` files are never read here.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { AppError } from '../../errors.js';
import { readJsonObjects } from '../../retrieve/evaluation.js';
import {
  readDialogues,
  readQuestions,
  turnKinds,
  type Dialogue,
  type LabelledQuestion,
} from '../answer-sets.js';
import { askingAndStory } from '../intent.js';
import { plainKey } from '../../text/index.js';
import { TEXT_FEATURES, textFeatures } from './features.js';
import { fitLinear, LinearModel, type Features, type FitOptions, type LinearModelFile } from './linear.js';
import {
  ASKABLE_FIELDS,
  CONVERSATION_MOVES,
  DECISION_FEATURES,
  MESSAGE_KINDS,
  TURN_KINDS,
  type ConversationMove,
} from './models.js';

/** A text and its labels. */
export interface TextExample {
  text: string;
  labels: string[];
  /** Where it comes from ('project' or a shared file name), for per-source figures. */
  origin: string;
}

/** A message of a conversation with the procedure in focus when it was written. */
export interface FocusedTurn extends TextExample {
  /** Code of the procedure the conversation is about. */
  focus: string;
}

/** Named features and labels (decide and conversation models). */
export interface NumericExample {
  x: Record<string, number>;
  labels: string[];
  origin: string;
}

/** Everything the fits read. */
export interface TrainingData {
  fields: TextExample[];
  turns: TextExample[];
  /**
   * Messages inside a conversation about a named procedure (training/turns-in-conversation.jsonl):
   * pairs in the same words, a follow-up on the procedure and a side question to decline, each with
   * the procedure in focus; for the conversation's turn model and the conversation model only.
   */
  focusedTurns: FocusedTurn[];
  /** Shared train questions and conversations, for the retrieval-based samples. */
  questions: LabelledQuestion[];
  /** Questions the project wrote over the same procedures, with their gold codes (training/questions-project.jsonl). */
  projectQuestions: LabelledQuestion[];
  dialogues: Dialogue[];
  /**
   * Conversations the project wrote over the same procedures (training/dialogues-project.jsonl):
   * a first question, follow-ups, a switch to another procedure, a turn to decline.
   */
  projectDialogues: Dialogue[];
  /** Messages that must be declined (project-written). */
  offTopic: string[];
  /**
   * Questions the project wrote that sound like procedures no record holds (training/near-misses.jsonl):
   * the answer must be declined.
   */
  nearMisses: string[];
  /**
   * Texts asking a detail no record field holds ('detail': the project's questions that name a real
   * procedure and ask a fine, a validity period, an age limit, an amount…;
   * training/near-misses-detail.jsonl) against texts asking a field (no label).
   */
  details: TextExample[];
  /**
   * Questions as people write them to a portal's Q&A page, the project wrote: their situation told
   * first, then what they ask (training/questions-long.jsonl, with gold codes), and long ones no
   * record answers (training/near-misses-long.jsonl).
   */
  longQuestions: LabelledQuestion[];
  longNearMisses: string[];
  /**
   * Questions the project wrote over the articles of the shared ALQAC laws, as people ask the
   * assistant (training/legal-questions.jsonl): with the articles that answer them as gold codes,
   * or none when no article does. For the decide model only, retrieved over those laws.
   */
  legalQuestions: LabelledQuestion[];
  /**
   * Pairs in the same words the project wrote (training/near-misses-adjacent.jsonl): a question about
   * a matter next to the records that none holds (a bank's or an insurer's service, a variant no
   * record names; no gold code), and its twin asking what the nearest real record holds (gold code).
   * For the decide model only.
   */
  adjacentQuestions: LabelledQuestion[];
  /**
   * Messages and their kind (a question, small talk or a rejection of the last answer): the
   * project's greetings, thanks, requests for help or a person, rejections and questions that look
   * like them (training/messages.jsonl), and every question text of the other examples as a question.
   */
  messages: TextExample[];
  /** Question texts of the other files that read like a line of training/messages.jsonl of another kind, which wins. */
  messagesOverriding: { text: string; kind: string }[];
}

const FIELD_SET = new Set<string>(ASKABLE_FIELDS);
const KIND_SET = new Set<string>(TURN_KINDS);
const MESSAGE_SET = new Set<string>(MESSAGE_KINDS);

/** Reads the project's training files and the shared train files (`sharedDir` holds tthc-answers/). */
export async function readTrainingData(projectDir: string, sharedDir: string): Promise<TrainingData> {
  const fieldsFile = path.join(projectDir, 'fields.jsonl');
  const fields: TextExample[] = (await readJsonObjects(fieldsFile)).map((r, i) => {
    const labels = Array.isArray(r.fields) ? r.fields.map(String) : [];
    if (typeof r.text !== 'string' || labels.length === 0 || labels.some((f) => !FIELD_SET.has(f))) {
      throw new AppError(
        'bad_request',
        `${fieldsFile}: record ${i + 1}: needs "text" and "fields" among ${ASKABLE_FIELDS.join(', ')}`,
      );
    }
    return { text: r.text, labels, origin: 'project' };
  });
  const focusedFile = path.join(projectDir, 'turns-in-conversation.jsonl');
  const focusedTurns: FocusedTurn[] = (await readJsonObjects(focusedFile)).map((r, i) => {
    if (
      typeof r.text !== 'string' ||
      typeof r.kind !== 'string' ||
      !KIND_SET.has(r.kind) ||
      typeof r.focus !== 'string'
    ) {
      throw new AppError(
        'bad_request',
        `${focusedFile}: record ${i + 1}: needs "text", "focus" (a procedure code) and "kind" among ${TURN_KINDS.join(', ')}`,
      );
    }
    return { text: r.text, labels: [r.kind], origin: 'project focused turns', focus: r.focus };
  });
  const turnsFile = path.join(projectDir, 'turns.jsonl');
  const turns: TextExample[] = (await readJsonObjects(turnsFile)).map((r, i) => {
    if (typeof r.text !== 'string' || typeof r.kind !== 'string' || !KIND_SET.has(r.kind)) {
      throw new AppError(
        'bad_request',
        `${turnsFile}: record ${i + 1}: needs "text" and "kind" among ${TURN_KINDS.join(', ')}`,
      );
    }
    return { text: r.text, labels: [r.kind], origin: 'project' };
  });
  // One question per line, '#' comments: questions nothing in the corpus answers.
  const outOfScope = (await readFile(path.join(projectDir, 'out-of-scope.txt'), 'utf8'))
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'));
  turns.push(...outOfScope.map((text) => ({ text, labels: ['offtopic'], origin: 'project' })));
  const offTopic = turns.filter((t) => t.labels[0] === 'offtopic').map((t) => t.text);
  // Citizens' and officials' questions the project wrote over the shared procedures, with gold codes.
  const projectQuestions = await readQuestions(path.join(projectDir, 'questions-project.jsonl'));
  for (const q of projectQuestions) {
    if (FIELD_SET.has(q.field)) fields.push({ text: q.text, labels: [q.field], origin: 'project questions' });
    turns.push({ text: q.text, labels: ['new'], origin: 'project questions' });
  }
  const nearMisses = await readTexts(path.join(projectDir, 'near-misses.jsonl'));
  const detailFile = path.join(projectDir, 'near-misses-detail.jsonl');
  const detailRecords = await readJsonObjects(detailFile);
  const detailNearMisses = textsOf(detailFile, detailRecords);
  // A question about a field its record leaves empty (asks "fee-missing": "có mất lệ phí không?"
  // where the record says "Không có thông tin") is worded as any field question: its record, not
  // its wording, makes it unanswerable, and the reply says so from the record. It is no example
  // of a detail no record holds; with those, fee questions of other records read as details.
  const askedDetails = detailNearMisses.filter(
    (_, i) => !String(detailRecords[i]!.asks ?? '').endsWith('-missing'),
  );
  const longQuestions = await readQuestions(path.join(projectDir, 'questions-long.jsonl'));
  const longNearMisses = await readTexts(path.join(projectDir, 'near-misses-long.jsonl'));
  const legalQuestions = await readQuestions(path.join(projectDir, 'legal-questions.jsonl'));
  const adjacentQuestions = await readQuestions(path.join(projectDir, 'near-misses-adjacent.jsonl'));
  const messagesFile = path.join(projectDir, 'messages.jsonl');
  const messages: TextExample[] = (await readJsonObjects(messagesFile)).map((r, i) => {
    if (
      typeof r.text !== 'string' ||
      r.text.trim() === '' ||
      typeof r.kind !== 'string' ||
      !MESSAGE_SET.has(r.kind)
    ) {
      throw new AppError(
        'bad_request',
        `${messagesFile}: record ${i + 1}: needs "text" and "kind" among ${MESSAGE_KINDS.join(', ')}`,
      );
    }
    return { text: r.text, labels: [r.kind], origin: 'project messages' };
  });
  const dir = path.join(sharedDir, 'tthc-answers');
  const questionsFile = path.join(dir, 'questions-train.jsonl');
  const dialoguesFile = path.join(dir, 'dialogues-train.jsonl');
  if (!existsSync(questionsFile) || !existsSync(dialoguesFile)) {
    throw new AppError(
      'not_found',
      `${dir}: questions-train.jsonl and dialogues-train.jsonl are needed to fit the models`,
    );
  }
  const questions = await readQuestions(questionsFile);
  const dialogues = await readDialogues(dialoguesFile);
  for (const q of questions) {
    if (q.gold.length > 0 && FIELD_SET.has(q.field))
      fields.push({ text: q.text, labels: [q.field], origin: 'questions-train' });
    turns.push({ text: q.text, labels: [q.gold.length > 0 ? 'new' : 'offtopic'], origin: 'questions-train' });
  }
  // The older shared question set (tthc/queries.jsonl) is tagged with fields too.
  const tthcQueries = path.join(sharedDir, 'tthc', 'queries.jsonl');
  if (existsSync(tthcQueries)) {
    for (const r of await readJsonObjects(tthcQueries)) {
      if (typeof r.text !== 'string' || typeof r.field !== 'string' || !FIELD_SET.has(r.field)) continue;
      fields.push({ text: r.text, labels: [r.field], origin: 'tthc queries' });
      turns.push({ text: r.text, labels: ['new'], origin: 'tthc queries' });
    }
  }
  for (const d of dialogues) {
    const kinds = turnKinds(d.turns);
    d.turns.forEach((t, i) => {
      if (t.expect === 'answer' && FIELD_SET.has(t.field))
        fields.push({ text: t.text, labels: [t.field], origin: 'dialogues-train' });
      const kind = kinds[i] === 'decline' ? 'offtopic' : kinds[i] === 'followup' ? 'followup' : 'new';
      turns.push({ text: t.text, labels: [kind], origin: 'dialogues-train' });
    });
  }
  // The project's conversations train the field model (and, in train.ts, the conversation model),
  // not the turn model: its kind scores are features of the answer-or-decline model, and with these
  // turns its fitted threshold fell from 0.43 to 0.30 and fewer near misses were declined.
  const projectDialogues = await readDialogues(path.join(projectDir, 'dialogues-project.jsonl'));
  for (const t of projectDialogues.flatMap((d) => d.turns))
    if (t.expect === 'answer' && FIELD_SET.has(t.field))
      fields.push({ text: t.text, labels: [t.field], origin: 'project dialogues' });
  // What a record does not hold against what its fields hold: every text asking a field.
  const details: TextExample[] = [
    ...fields.map((e) => ({ text: e.text, labels: [], origin: e.origin })),
    ...askedDetails.map((text) => ({ text, labels: ['detail'], origin: 'project details' })),
  ];
  // Every other text is a question: what the assistant is asked, not small talk. A text the
  // messages file already holds, typed the same way once folded, keeps the file's kind.
  const kindOf = new Map(messages.map((m) => [plainKey(m.text), m.labels[0]!]));
  const messagesOverriding: TrainingData['messagesOverriding'] = [];
  for (const text of [
    ...turns.map((e) => e.text),
    ...fields.map((e) => e.text),
    ...projectDialogues.flatMap((d) => d.turns.map((t) => t.text)),
    ...nearMisses,
    ...detailNearMisses,
    ...longQuestions.map((q) => q.text),
    ...longNearMisses,
  ]) {
    const key = plainKey(text);
    const kind = kindOf.get(key);
    if (kind !== undefined) {
      if (kind !== 'question') messagesOverriding.push({ text, kind });
      continue;
    }
    kindOf.set(key, 'question');
    messages.push({ text, labels: ['question'], origin: 'questions' });
  }
  return {
    fields,
    turns,
    focusedTurns,
    messages,
    messagesOverriding,
    questions,
    projectQuestions,
    dialogues,
    projectDialogues,
    offTopic,
    nearMisses,
    details,
    longQuestions,
    longNearMisses,
    legalQuestions,
    adjacentQuestions,
  };
}

/** The "text" of each record of a JSON-lines file; a record without one is an error naming it. */
async function readTexts(file: string): Promise<string[]> {
  return textsOf(file, await readJsonObjects(file));
}

/** The "text" of each record read from `file`; a record without one is an error naming it. */
function textsOf(file: string, records: readonly Record<string, unknown>[]): string[] {
  return records.map((r, i) => {
    if (typeof r.text !== 'string' || r.text.trim() === '')
      throw new AppError('bad_request', `${file}: record ${i + 1}: needs a non-empty "text"`);
    return r.text;
  });
}

/** Fit settings of each model (part of what a refit must repeat). */
export const FIT: Record<
  'fields' | 'turns' | 'conversation-turns' | 'details' | 'decide' | 'conversation' | 'messages',
  FitOptions
> = {
  fields: { iterations: 200, rate: 0.1, l2: 1e-4 },
  details: { iterations: 200, rate: 0.1, l2: 1e-3 },
  messages: { iterations: 200, rate: 0.1, l2: 1e-4 },
  turns: { iterations: 200, rate: 0.1, l2: 1e-4 },
  'conversation-turns': { iterations: 200, rate: 0.1, l2: 1e-4 },
  decide: { iterations: 400, rate: 0.1, l2: 1e-3 },
  conversation: { iterations: 400, rate: 0.1, l2: 1e-3 },
};

const textRows = (examples: readonly TextExample[]): Features[] => examples.map((e) => textFeatures(e.text));

/** Fits text model `name` over `classes`; `settings` (its threshold…) are stored with it. */
function fitText(
  name: 'fields' | 'turns' | 'conversation-turns' | 'details' | 'messages',
  classes: readonly string[],
  examples: readonly TextExample[],
  settings?: Record<string, unknown>,
): LinearModelFile {
  const file = fitLinear(
    name,
    TEXT_FEATURES,
    classes,
    textRows(examples),
    examples.map((e) => e.labels),
    FIT[name],
  );
  return settings ? { ...file, settings } : file;
}

/** Fits the field model on all field examples. */
export function fitFields(
  examples: readonly TextExample[],
  settings: Record<string, unknown> = {},
): LinearModelFile {
  return fitText('fields', ASKABLE_FIELDS, examples, { threshold: 0.5, ...settings });
}

/** Fits the turn-kind model on all turn examples. */
export function fitTurns(examples: readonly TextExample[]): LinearModelFile {
  return fitText('turns', TURN_KINDS, examples);
}

/**
 * Fits the turn model the conversation model reads, on the turn examples and the focused turns, whose
 * pairs in the same words teach it what is asked rather than the words around it. The answer-or-decline
 * model reads the plain turn model, whose scores on first questions it was fitted with.
 */
export function fitConversationTurns(examples: readonly TextExample[]): LinearModelFile {
  return fitText('conversation-turns', TURN_KINDS, examples);
}

/** Fits the detail model: does a message ask a detail no field of a procedure record holds? */
export function fitDetails(
  examples: readonly TextExample[],
  settings: Record<string, unknown> = {},
): LinearModelFile {
  // Fitted on what each message asks, as DetailModel reads it: a story told first is not read.
  const asked = examples.map((e) => ({ ...e, text: askingAndStory(e.text).asking }));
  return fitText('details', ['detail'], asked, { threshold: 1, ...settings });
}

/** Fits the message model (question, small talk or rejection) on all message examples. */
export function fitMessages(
  examples: readonly TextExample[],
  settings: Record<string, unknown> = {},
): LinearModelFile {
  return fitText('messages', MESSAGE_KINDS, examples, { threshold: 0.5, ...settings });
}

const numericRows = (examples: readonly NumericExample[]): Features[] =>
  examples.map((e) => new Map(Object.entries(e.x)));

/** Fits the answer-or-decline model: class 'right' = the first result answers the message. */
export function fitDecide(
  examples: readonly NumericExample[],
  threshold: number,
  /** Added to the bias of a legal article first (`law`), so that `threshold` decides it as its own best one does. */
  lawShift = 0,
): LinearModelFile {
  const file = fitLinear(
    'decide',
    DECISION_FEATURES,
    ['right'],
    numericRows(examples),
    examples.map((e) => e.labels),
    FIT.decide,
  );
  const law = file.weights.law?.[0];
  if (lawShift === 0 || law === undefined) return { ...file, settings: { threshold } };
  return {
    ...file,
    weights: { ...file.weights, law: [Math.round((law + lawShift) * 1e4) / 1e4] },
    settings: { threshold, lawShift: Math.round(lawShift * 1e4) / 1e4 },
  };
}

/** Origin of the conversation samples made of the project's turns set against a focus chosen by rule. */
export const PAIRED_TURNS = 'project turns';

/** A turn of a real conversation as the conversation model read it out of fold. */
export interface SwitchSample {
  /** The move the conversation's labels say. */
  label: ConversationMove;
  /** The model's out-of-fold reading. */
  read: { move: ConversationMove; p: Record<string, number> };
  /** The answer-or-decline model's probability for the message's own first result. */
  standalone: number;
  ownTopIsFocus: boolean;
  /** The message's own first result is a gold procedure of the turn. */
  topRight: boolean;
}

/** Candidate switch thresholds, from 0.20 up to the answer-or-decline threshold. */
export const SWITCH_THRESHOLD_STEP = 0.05;

/**
 * The switch threshold that makes the most turns of real conversations end right: a switch answered
 * with its right first result, a follow-up kept on the focus, a side question declined (also as an
 * unsure switch). `settle` is the assistant's own rule (settledMove); ties keep the higher threshold.
 */
export function fitSwitchThreshold(
  samples: readonly SwitchSample[],
  decideThreshold: number,
  settle: (
    read: SwitchSample['read'],
    confident: boolean,
    ownTopIsFocus: boolean,
  ) => ConversationMove | 'unsure-switch',
): { threshold: number; right: [number, number][] } {
  const right: [number, number][] = [];
  const candidates: number[] = [];
  for (let t = 0.2; t < decideThreshold - 1e-9; t += SWITCH_THRESHOLD_STEP)
    candidates.push(Math.round(t * 100) / 100);
  candidates.push(decideThreshold);
  for (const t of candidates) {
    let n = 0;
    for (const s of samples) {
      const move = settle(s.read, s.standalone >= t, s.ownTopIsFocus);
      if (
        s.label === 'switch'
          ? move === 'switch' && s.topRight
          : s.label === 'followup'
            ? move === 'followup'
            : move === 'decline' || move === 'unsure-switch'
      )
        n++;
    }
    right.push([t, n]);
  }
  const best = Math.max(...right.map(([, n]) => n));
  return { threshold: [...right].reverse().find(([, n]) => n === best)![0], right };
}

/** Fits the conversation model (follow up, switch, decline). */
export function fitConversation(
  examples: readonly NumericExample[],
  switchThreshold?: number,
): LinearModelFile {
  // Turns of real conversations weigh as much, all together, as the project's turns set against a
  // focus chosen by rule: only they show how a follow-up or a switch relates to what is in focus.
  const paired = examples.filter((e) => e.origin === PAIRED_TURNS).length;
  const real = examples.length - paired;
  const times = real > 0 && paired > real ? Math.round(paired / real) : 1;
  const ex = examples.flatMap((e) =>
    e.origin === PAIRED_TURNS ? [e] : Array.from({ length: times }, () => e),
  );
  const file = fitLinear(
    'conversation',
    DECISION_FEATURES,
    CONVERSATION_MOVES,
    numericRows(ex),
    ex.map((e) => e.labels),
    FIT.conversation,
  );
  return switchThreshold === undefined ? file : { ...file, settings: { switchThreshold } };
}

/**
 * Out-of-fold predictions: each example is scored by a model fitted on the other folds (example i
 * is in fold `foldOf(i)`, i mod k by default), so the figures and the features built from them are
 * those of unseen input.
 */
export function outOfFold<E>(
  examples: readonly E[],
  k: number,
  fit: (train: E[]) => LinearModelFile,
  score: (m: LinearModel, e: E) => number[],
  foldOf: (i: number) => number = (i) => i % k,
): number[][] {
  const out: number[][] = new Array(examples.length);
  for (let fold = 0; fold < k; fold++) {
    const train = examples.filter((_, i) => foldOf(i) !== fold);
    const model = new LinearModel(fit(train));
    examples.forEach((e, i) => {
      if (foldOf(i) === fold) out[i] = score(model, e);
    });
  }
  return out;
}
