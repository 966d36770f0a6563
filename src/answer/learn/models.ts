/**
 * The learned decisions of the answer layer, each a model file under src/answer/models/ fitted by
 * `npm run train`: which fields a message asks (fields.json), what kind of message it is
 * (turns.json: follow-up, new subject, off-topic; conversation-turns.json, the same read inside a
 * conversation, fitted with pairs of follow-ups and side questions), whether it asks a detail no record field holds
 * (details.json), whether to answer with the first result or
 * decline (decide.json), in a conversation whether a message follows up, switches subject or
 * must be declined (conversation.json), and whether a message is a question at all or greets,
 * thanks, asks what the assistant does, asks for a person or says the last answer was not what
 * was meant (messages.json).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { AppError } from '../../errors.js';
import { askingAndStory, type MessageKind } from '../intent.js';
import type { ProcedureField } from '../../ingest/types.js';
import { TEXT_FEATURES, textFeatures } from './features.js';
import { LinearModel, type Features } from './linear.js';

/**
 * Fields a question can ask, as the field model names them ('general' = none in particular): every
 * procedure field but `doi_tuong`, in the order of the fitted model's labels.
 */
export const ASKABLE_FIELDS = [
  'ho_so',
  'phi',
  'thoi_han',
  'co_quan',
  'cach_thuc',
  'trinh_tu',
  'dieu_kien',
  'ket_qua',
  'can_cu',
  'general',
] as const satisfies readonly ProcedureField[];

/** Kinds of message the turn model tells apart. */
export const TURN_KINDS = ['followup', 'new', 'offtopic'] as const;
export type TurnKind = (typeof TURN_KINDS)[number];

/** Kinds of message the message model tells apart: a question is searched, the others are answered without searching. */
export const MESSAGE_KINDS = [
  'question',
  'greeting',
  'thanks',
  'help',
  'handoff',
  'rejection',
] as const satisfies readonly MessageKind[];

/** Outcomes of a message in a conversation with a document in focus. */
export const CONVERSATION_MOVES = ['followup', 'switch', 'decline'] as const;
export type ConversationMove = (typeof CONVERSATION_MOVES)[number];

/** Version of the numeric features of the decide and conversation models (decision-features.ts). */
export const DECISION_FEATURES = 'decision-v8';

/** Which fields a message asks for. */
export class FieldModel {
  constructor(
    readonly model: LinearModel,
    /** Probability from which a field counts as asked. */
    readonly threshold: number,
    /** Field → the field quoted with it because records often answer there too (fitted on the facts of the training answers). */
    readonly companions: Partial<Record<ProcedureField, ProcedureField>>,
  ) {}

  /** Probability per field. */
  scores(message: string): Record<string, number> {
    return this.model.scores(textFeatures(message));
  }

  /**
   * The fields asked, at most `max`: first the most likely field of the whole message, then the
   * most likely field of each clause ("nộp ở đâu, bao lâu thì có" asks two) that reaches the
   * threshold, in the order the message asks them — the clauses of its asking sentences before those
   * of the story told before them. Empty means a general question.
   */
  asked(message: string, max = 3): ProcedureField[] {
    const best = (text: string): [string, number] =>
      Object.entries(this.scores(text)).sort((a, b) => b[1] - a[1])[0]!;
    const split = (text: string) =>
      text
        .split(/[,;?!.]+|\s(?:và|va|với|voi|rồi|roi|còn|con|hay)\s/iu)
        .filter((c) => c.trim().split(/\s+/u).length >= 2);
    const [whole, wholeP] = best(message);
    const { asking, story } = askingAndStory(message);
    const askingClauses = split(asking);
    const storyClauses = split(story);
    const several = askingClauses.length + storyClauses.length > 1;
    const fieldsOf = (cs: string[]) =>
      several
        ? cs
            .map(best)
            .filter(([f, p]) => f !== 'general' && p >= this.threshold)
            .map(([f]) => f)
        : [];
    const asked = fieldsOf(askingClauses);
    // A weak guess from the whole message does not go before a field its question asks outright.
    const first = wholeP >= this.threshold || asked.length === 0 ? [whole, ...asked] : [...asked, whole];
    const found = new Set(first.filter((f) => f !== 'general'));
    // The story's clauses are read only when the question leaves room for them.
    if (found.size < max) for (const f of fieldsOf(storyClauses)) found.add(f);
    return [...found].slice(0, max) as ProcedureField[];
  }
}

/**
 * Whether a message asks a detail that no field of a procedure record holds (a fine, a validity
 * period, an age limit, an amount one person receives): the record named cannot answer it.
 */
export class DetailModel {
  constructor(
    readonly model: LinearModel,
    /** Probability from which the message is read so (chosen by `npm run train` with the answer-or-decline objective). */
    readonly threshold: number,
  ) {}

  /** Read from the message's asking sentences: a story told before the question is not read (as fitted). */
  probability(message: string): number {
    return this.model.probabilities(textFeatures(askingAndStory(message).asking))[0]!;
  }

  /** True when the message asks what no record field holds. */
  asksUnrecorded(message: string): boolean {
    return this.probability(message) >= this.threshold;
  }
}

/** Probability of each message kind from its wording alone. */
export class TurnModel {
  constructor(readonly model: LinearModel) {}

  scores(message: string): Record<TurnKind, number> {
    return this.model.scores(textFeatures(message)) as Record<TurnKind, number>;
  }
}

/**
 * Whether a message is a question to search, small talk (a greeting, thanks, a request for help
 * or for a person) or a rejection of the last answer ("sai rồi", "không phải cái đó").
 */
export class MessageModel {
  constructor(
    readonly model: LinearModel,
    /** Probability from which a message is read as small talk rather than as a question. */
    readonly threshold: number,
  ) {}

  /** Probability per kind. */
  scores(message: string): Record<MessageKind, number> {
    return this.model.scores(textFeatures(message)) as Record<MessageKind, number>;
  }

  /** The message's kind: small talk only from the fitted threshold; a message without letters is a question. */
  kind(message: string): MessageKind {
    return messageKind(message, this.scores(message), this.threshold);
  }
}

/**
 * A message's kind from the model's scores: the most likely kind when it is a question or reaches
 * `threshold`, else a question; a message without letters (a number picking an option) is a
 * question. Training reads its figures and fits the threshold with it too.
 */
export function messageKind(message: string, scores: Record<string, number>, threshold: number): MessageKind {
  if (!/\p{L}/u.test(message)) return 'question';
  const [kind, p] = Object.entries(scores).sort((a, b) => b[1] - a[1])[0]!;
  return kind !== 'question' && p >= threshold ? (kind as MessageKind) : 'question';
}

/** A binary decision over named numeric features, with the threshold fitted with it. */
export class DecisionModel {
  constructor(
    readonly model: LinearModel,
    readonly threshold: number,
  ) {}

  probability(x: Features): number {
    return this.model.probabilities(x)[0]!;
  }
}

/** Picks one of several moves from named numeric features. */
export class MoveModel {
  constructor(
    readonly model: LinearModel,
    /**
     * Confidence from which the message's own first result is answered when the model reads a
     * switch (fitted on real conversations; a switch leans on the conversation and is worded less
     * fully than a first question). The answer-or-decline threshold when lower; 1 when the file has none.
     */
    readonly switchThreshold = 1,
  ) {}

  best(x: Features): { move: ConversationMove; p: Record<string, number> } {
    return MoveModel.reading(this.model.scores(x));
  }

  /** The likeliest move of a set of move probabilities (the first listed on a tie), with them. */
  static reading(p: Record<string, number>): { move: ConversationMove; p: Record<string, number> } {
    const move = Object.entries(p).sort((a, b) => b[1] - a[1])[0]![0] as ConversationMove;
    return { move, p };
  }
}

export interface AnswerModels {
  fields: FieldModel;
  turns: TurnModel;
  /** The turn kinds the conversation model reads (the answer-or-decline model reads `turns`). */
  conversationTurns: TurnModel;
  details: DetailModel;
  decide: DecisionModel;
  conversation: MoveModel;
  messages: MessageModel;
}

/** Folder of the bundled model files (copied beside the compiled modules by `npm run build`). */
export const MODELS_DIR = fileURLToPath(new URL('../models/', import.meta.url));

function readModel(name: string, features: string, dir: string): LinearModel {
  const source = path.join(dir, `${name}.json`);
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(source, 'utf8'));
  } catch (err) {
    throw new AppError(
      'model_invalid',
      `${source}: cannot read the model file; refit it with \`npm run train\``,
      { cause: err },
    );
  }
  return LinearModel.parse(raw, { name, features, source });
}

const num = (m: LinearModel, key: string, fallback: number): number => {
  const v = m.file.settings?.[key];
  return typeof v === 'number' ? v : fallback;
};

/** Reads and checks the model files of a folder; a missing, stale or malformed file is an error naming it. */
export function loadAnswerModels(dir = MODELS_DIR): AnswerModels {
  const fields = readModel('fields', TEXT_FEATURES, dir);
  const decide = readModel('decide', DECISION_FEATURES, dir);
  const messages = readModel('messages', TEXT_FEATURES, dir);
  const details = readModel('details', TEXT_FEATURES, dir);
  const conversation = readModel('conversation', DECISION_FEATURES, dir);
  const companions = (fields.file.settings?.companions ?? {}) as Partial<
    Record<ProcedureField, ProcedureField>
  >;
  return {
    fields: new FieldModel(fields, num(fields, 'threshold', 0.5), companions),
    turns: new TurnModel(readModel('turns', TEXT_FEATURES, dir)),
    conversationTurns: new TurnModel(readModel('conversation-turns', TEXT_FEATURES, dir)),
    details: new DetailModel(details, num(details, 'threshold', 1)),
    decide: new DecisionModel(decide, num(decide, 'threshold', 0.5)),
    conversation: new MoveModel(conversation, num(conversation, 'switchThreshold', 1)),
    messages: new MessageModel(messages, num(messages, 'threshold', 0.5)),
  };
}

let bundled: AnswerModels | null = null;

/** The bundled models, read once per process. */
export function bundledModels(): AnswerModels {
  bundled ??= loadAnswerModels();
  return bundled;
}
