import { AppError } from '../errors.js';
import { FIELD_LABELS, firstAgency } from '../ingest/procedure/field-text.js';
import type { DocumentMeta, ProcedureField } from '../ingest/types.js';
import { timeOrderedId } from '../lib/ids.js';
import type { RetrievedChunk, Retriever } from '../retrieve/retriever.js';
import { maskPii, plainKey } from '../text/index.js';
import { confidenceFeatures, syllableCache, type ConfidenceFeatures } from './confidence.js';
import { parseState, pickedOption, remember, type ConversationState } from './conversation.js';
import {
  composeLegal,
  composeProcedure,
  composeUnrecorded,
  documentChunks,
  similarProcedures,
  suggestionOf,
  type Composed,
} from './extractive.js';
import { generate, rewriteSafely, type AnswerWriter, type LlmFallback } from './generated.js';
import {
  askingAndStory,
  MAX_QUESTION_CHARS,
  symbolMeaning,
  withoutCourtesy,
  withoutOpener,
  type MessageKind,
} from './intent.js';
import { conversationFeatures, decideFeatures, fitToDocument } from './learn/decision-features.js';
import { bundledModels, type AnswerModels, type ConversationMove, type TurnKind } from './learn/models.js';
import * as say from './replies.js';
import { ResultCache, type Retrieval } from './result-cache.js';
import type { AssistantStore } from './store.js';
import { DEFAULT_TURNS_PER_BATCH, TurnGate } from './turn-gate.js';
import type { Answer, Assistant, Citation, Question, Suggestion } from './types.js';

/** What the assistant needs; `retriever()` returns the live snapshot's retriever (swapped on re-index). */
export interface AssistantDeps {
  retriever: () => Retriever | null;
  store: AssistantStore;
  /** Hotline and address shown when the assistant declines. */
  handoffContact: string;
  /** Present when an OpenAI-compatible LLM is configured. */
  writer?: AnswerWriter;
  /** Confidence below which the assistant declines (default: the threshold fitted with the decide model). */
  threshold?: number;
  /** The learned decisions (default: the bundled model files, src/answer/models/). */
  models?: AnswerModels;
  /** Recent retrievals to reuse (default: a cache of 2,000; 0 turns it off). */
  cacheSize?: number;
  /** Turns started per batch, in arrival order (default 8; 0 starts every turn at once); see TurnGate. */
  turnsPerBatch?: number;
  /** Called once per answer (metrics). */
  onAnswer?: (answer: Answer, question: Question) => void;
  /** Called when an LLM step fails and the extractive path answers instead (logs, metrics). */
  onLlmFallback?: LlmFallback;
}

/** Results looked at per question. */
const RESULTS = 5;

/**
 * Least probability that a sentence or an edge clause of a question only greets or thanks for it
 * to be left out of what is searched; higher than for a whole message (the message model was
 * fitted on whole messages, and reads some short clauses of content as thanks).
 */
const COURTESY_MIN = 0.9;
/**
 * The same for a whole sentence of a message of several: the sentences of a letter that only
 * address, introduce the writer or sign ("Kính thưa các cán bộ Bộ phận tiếp nhận và trả kết
 * quả.", "Người gửi: …") read so less surely, and over the training questions only frames go
 * down to 0.6 ("Ad hỗ trợ em với.", "Một việc nữa:"); letters around the train questions (80
 * development frames): citizens cited 70.3 % at 0.9, 71.3 % at 0.75, 71.8 % at 0.6.
 */
const SENTENCE_COURTESY_MIN = 0.6;
/**
 * A message read as a greeting or thanks is a question when what its frame leaves reads as one with
 * this probability: the train and project questions inside 98 frames (the `--typed` ones and 80
 * development frames) read so 120 times; 112 of them leave a question this sure, and 1 of the
 * 1,525 greetings and thanks of the message sets (training and held out) leaves one (0.5: 118
 * and 23).
 */
const FRAMED_QUESTION_MIN = 0.9;
/** Share of a declined question's subject words its first result must hold for the results to be offered as options. */
const SUGGEST_COVERAGE = 0.3;
const FRAME_KINDS: ReadonlySet<MessageKind> = new Set(['greeting', 'thanks']);

/**
 * Strips control characters and collapses whitespace; binary junk becomes ''. A line break after
 * a line without closing punctuation ends a sentence: chat users write one sentence per line; so
 * does one after a comma, as a letter's salutation ("Kính gửi Sở Tư pháp,") ends.
 */
export function cleanMessage(raw: string): string {
  return raw
    .replace(/([^\s.!?…:;,])[^\S\r\n]*(?:\r?\n)+/gu, '$1. ')
    .replace(/,[^\S\r\n]*(?:\r?\n)+/gu, '. ')
    .replace(/[\p{Cc}\p{Cs}\ufffd]/gu, ' ')
    .replace(/\s+/gu, ' ')
    .trim();
}

/** Creates the answer layer used by every channel. */
export function createAssistant(deps: AssistantDeps): Assistant {
  const models = deps.models ?? bundledModels();
  const threshold = deps.threshold ?? models.decide.threshold;
  const switchFloor = Math.min(threshold, models.conversation.switchThreshold);
  const cache = new ResultCache(deps.cacheSize ?? 2000);
  const gate = new TurnGate(deps.turnsPerBatch ?? DEFAULT_TURNS_PER_BATCH);

  async function reply(question: Question, onDelta?: (text: string) => void): Promise<Answer> {
    await gate.enter();
    const conversationId = question.conversationId ?? timeOrderedId();
    const message = cleanMessage(question.message);
    const conversation = {
      id: conversationId,
      channel: question.channel,
      ...(question.userRef ? { userRef: question.userRef } : {}),
    };
    // Personal data (CCCD/CMND, phone numbers, e-mail) is masked before anything is stored (Nghị định 13/2023/NĐ-CP).
    const storedQuestion = maskPii(message);
    const asked = { text: storedQuestion, channel: question.channel };
    const state = parseState(await deps.store.turnState(conversationId));
    let answer: Answer;
    try {
      answer = await respond(message, state, { ...question, conversationId }, onDelta);
    } catch (err: unknown) {
      // The question stays in the audit trail even when answering fails.
      await deps.store.recordTurn({ conversation, question: asked }).catch(() => undefined);
      throw err;
    }
    const rejectedAnswer = answer.intent === 'rejection' ? state.answered : undefined;
    const first = answer.citations[0];
    if (answer.outcome === 'grounded' && first)
      state.answered = {
        docId: first.sourceId,
        question: /\p{L}/u.test(storedQuestion) ? storedQuestion : first.label,
      };
    else delete state.answered;
    remember(state, 'user', storedQuestion);
    const gap = gapQuestion(storedQuestion, answer, rejectedAnswer);
    remember(state, 'assistant', maskPii(answer.answer));
    // One transaction a turn, after answering: question, answer, gap and new state together.
    const stored = await deps.store.recordTurn({
      conversation,
      question: asked,
      answer: {
        text: maskPii(answer.answer),
        channel: question.channel,
        citations: answer.citations,
        grounded: answer.grounded,
        outcome: answer.outcome,
        confidence: answer.confidence,
      },
      stateJson: JSON.stringify(state),
      ...(gap === null
        ? {}
        : { unanswered: { question: gap, channel: question.channel, normalized: gapKey(gap) } }),
    });
    answer.messageId = stored.answerId!;
    deps.onAnswer?.(answer, question);
    if (onDelta && answer.mode === 'extractive') onDelta(answer.answer);
    return answer;
  }

  /** How likely a part of a message only greets, thanks or asks to be contacted ("ad gọi lại giúp em"). */
  const courtesyScore = (part: string): number => {
    const s = models.messages.scores(part);
    return Math.max(s.greeting ?? 0, s.thanks ?? 0, s.handoff ?? 0);
  };

  async function respond(
    message: string,
    state: ConversationState,
    q: Question & { conversationId: string },
    onDelta?: (t: string) => void,
  ): Promise<Answer> {
    const base = {
      conversationId: q.conversationId,
      citations: [],
      followUps: [],
      alternatives: [],
      confidence: 0,
      mode: 'extractive' as const,
    };
    if (message === '') {
      const text = q.message.trim() === '' ? say.EMPTY : say.UNREADABLE;
      return { ...base, answer: text, grounded: false, outcome: 'smalltalk', intent: 'help' };
    }
    if (message.length > MAX_QUESTION_CHARS) {
      return {
        ...base,
        answer: say.tooLong(MAX_QUESTION_CHARS),
        grounded: false,
        outcome: 'declined',
        intent: 'out_of_scope',
      };
    }
    // "👍", "🙏", "???" alone are read as the words they stand for; other symbols cannot be answered.
    message = symbolMeaning(message);
    if (message === '')
      return { ...base, answer: say.UNREADABLE, grounded: false, outcome: 'smalltalk', intent: 'help' };
    // A number picks one of the options offered; anything else may be small talk, answered without searching.
    const picked = pickedOption(message, state);
    // What only greets, addresses, thanks or asks leave to ask is not searched. A part is read
    // without its opener: "ad ơi cho mình hỏi" makes any words after it read like a greeting.
    const unframed =
      picked?.text ??
      withoutOpener(
        withoutCourtesy(
          message,
          (part) => courtesyScore(withoutOpener(part)),
          COURTESY_MIN,
          SENTENCE_COURTESY_MIN,
        ),
      );
    // A short question in a long frame ("tach ho ton bao nhieu tien. Rất mong nhận được phản hồi
    // sớm. Xin trân trọng cảm ơn!") reads as thanks as a whole: it is a question when what the
    // frame leaves surely is one.
    let kind = picked ? 'question' : models.messages.kind(message);
    if (
      FRAME_KINDS.has(kind) &&
      unframed !== message &&
      (models.messages.scores(unframed).question ?? 0) >= FRAMED_QUESTION_MIN
    )
      kind = 'question';
    if (kind !== 'question' && kind !== 'rejection') return smallTalk(kind, base, state);
    const retriever = deps.retriever();
    if (!retriever) throw new AppError('snapshot_missing', 'the index is not loaded yet');
    // A message that rejects the answer and names what was meant ("không phải, tôi hỏi làm lại căn
    // cước cơ") is a question to the model; one it still reads as a rejection is answered when it
    // finds another procedure with confidence.
    const rejecting = kind === 'rejection';
    if (picked?.docId) return answerDocument(retriever, picked.docId, state.pendingFields ?? [], state, base);
    const text = unframed;
    const fields = models.fields.asked(text);
    const turn = models.turns.scores(text);
    const focus = state.focus && retriever.snapshot.docIndex.has(state.focus.docId) ? state.focus : undefined;
    // In a conversation, procedures of the focus's domain come first among close candidates.
    const domain = focus ? retriever.snapshot.document(focus.docId)?.procedure?.domain : undefined;
    const search = (query: string): Promise<Retrieval> =>
      deps.cacheSize === 0
        ? retriever.retrieve(query, { k: RESULTS, audience: q.audience, ...(domain ? { domain } : {}) })
        : cache.retrieve(retriever, query, RESULTS, q.audience, domain);
    let result = await search(text);
    let features = confidenceFeatures(text, result, retriever.snapshot);
    const confidenceOf = (f: ConfidenceFeatures, kind: Record<TurnKind, number>) =>
      f.exact === 1 ? 1 : f.words === 0 ? 0 : models.decide.probability(decideFeatures(f, kind));
    let confidence = confidenceOf(features, turn);
    // A switch the conversation model reads is answered from the switch threshold (fitted on real
    // conversations), a first question or a new subject from the answer-or-decline threshold.
    let floor = threshold;
    if (focus) {
      // With a procedure in focus the conversation model decides: follow up on it, switch to what
      // the message names, or decline. A code or number named in the message always switches.
      const top = result.results[0]?.doc.id;
      const move =
        features.exact === 1 && top !== focus.docId
          ? 'switch'
          : conversationMove(retriever, text, focus.docId, features, confidence, top);
      if (rejecting && move !== 'switch') return rejected(retriever, state, base);
      if (move === 'switch') floor = switchFloor;
      // A model that writes answers rewrites a follow-up that says more than its field into a standalone question.
      if (move === 'followup' && !(deps.writer && features.words >= 3))
        return answerDocument(retriever, focus.docId, fields, state, base, text);
      // Declining a side question keeps the procedure in focus for the next follow-up. A new
      // subject the search is not sure of is declined with its closest procedures as options, as
      // a first question is.
      if (move === 'decline')
        return decline({ ...result, results: [] }, fields, state, { ...base, confidence }, focus);
      if (move === 'unsure-switch') {
        const options = suggestible(result, features);
        return decline(
          options,
          fields,
          state,
          { ...base, confidence },
          options.results[0] ? undefined : focus,
        );
      }
    }
    // A rejection is not rewritten: the history would turn "sai rồi" back into the question rejected.
    const standalone =
      deps.writer && state.history.length > 0 && !rejecting
        ? await rewriteSafely(deps.writer, state.history, text, deps.onLlmFallback)
        : text;
    if (standalone !== text) {
      result = await search(standalone);
      features = confidenceFeatures(standalone, result, retriever.snapshot);
      confidence = confidenceOf(features, models.turns.scores(standalone));
    }
    // A question told after a long story ("Tôi làm công nhân…, vợ tôi vừa sinh… Xin hỏi làm giấy
    // khai sinh cần giấy tờ gì?") is answered when its asking sentences alone find the same
    // procedure first and are confident: the story's words are in no record and hold it back.
    if (confidence < threshold && standalone === text) {
      const { asking, story } = askingAndStory(text);
      if (story !== '') {
        const alone = await search(asking);
        const aloneFeatures = confidenceFeatures(asking, alone, retriever.snapshot);
        const aloneConfidence = confidenceOf(aloneFeatures, models.turns.scores(asking));
        const top = alone.results[0]?.doc.id;
        if (top !== undefined && top === result.results[0]?.doc.id && aloneConfidence >= threshold) {
          result = alone;
          features = aloneFeatures;
          confidence = aloneConfidence;
        }
      }
    }
    const found = result.results[0]?.doc.id;
    if (rejecting && (confidence < threshold || found === focus?.docId || found === state.answered?.docId))
      return rejected(retriever, state, base);
    state.lastResults = result.results.map((r) => r.doc.id);
    if (confidence < floor)
      return decline(suggestible(result, features), fields, state, { ...base, confidence });
    const top = result.results[0]!;
    // A question that names the procedure but asks what no field of its record holds (a fine, a
    // validity period, an amount) is told so, with the record's general information.
    const composed =
      top.doc.kind === 'procedure' && models.details.asksUnrecorded(standalone)
        ? composeUnrecorded(retriever.snapshot, top.doc)
        : composeTop(retriever, result, fields, models);
    setFocus(state, top.doc, composed);
    const answer = finish(composed, top.doc, state, fields, { ...base, confidence }, deps.handoffContact);
    // A record that lacks what was asked is said so in its own words, not written over by the model.
    if (!deps.writer || !answer.grounded) return answer;
    // A cited procedure field with all its passages; another document's cited passage alone.
    const sourceOf = (c: Citation) => {
      const chunks = documentChunks(retriever.snapshot, c.sourceId);
      const cited = chunks.find((x) => x.id === c.chunkId);
      return cited?.field ? chunks.filter((x) => x.field === cited.field) : cited ? [cited] : [];
    };
    return generate(deps.writer, standalone, result, answer, sourceOf, onDelta, deps.onLlmFallback);
  }

  /** The conversation model's move for a message while `focusId` is in focus. */
  function conversationMove(
    retriever: Retriever,
    text: string,
    focusId: string,
    own: ConfidenceFeatures,
    standalone: number,
    top: string | undefined,
  ): 'followup' | 'switch' | 'decline' | 'unsure-switch' {
    const focus = fitToDocument(retriever.snapshot, focusId, text);
    const sameTop = top === focusId ? 1 : 0;
    const read = models.conversation.best(
      conversationFeatures({
        turn: models.conversationTurns.scores(text),
        standalone,
        sameTop,
        own,
        focus,
      }),
    );
    return settledMove(read, standalone >= switchFloor, sameTop === 1);
  }

  /**
   * The user says the last answer was not what they meant ("sai rồi", "không phải cái đó"): the
   * procedure answered is dropped from the focus and the last results, so that the next "nộp ở
   * đâu?" is not read about it and it is not offered again, and the other close matches of the
   * last search are offered as numbered options, for the field asked. With no answer to reject
   * (after a decline, small talk or an earlier rejection) the focus, a guess, is dropped too and the
   * user is asked to say more.
   */
  function rejected(
    retriever: Retriever,
    state: ConversationState,
    base: Omit<Answer, 'answer' | 'grounded' | 'outcome' | 'intent'>,
  ): Answer {
    const dropped = state.answered?.docId;
    if (dropped) state.lastResults = state.lastResults.filter((id) => id !== dropped);
    const suggestions = dropped
      ? state.lastResults
          .map((id) => retriever.snapshot.document(id))
          .filter((doc): doc is DocumentMeta => doc !== undefined)
          .slice(0, 3)
          .map(suggestionOf)
      : [];
    if (state.focus?.field) state.pendingFields = [state.focus.field];
    delete state.focus;
    const text = say.rejectionReply(suggestions, deps.handoffContact, dropped !== undefined);
    return offering(suggestions, text, 'rejection', state, base);
  }

  /** A declined answer whose text numbers `suggestions`: they become the options a number picks, and the quick replies. */
  function offering(
    suggestions: Suggestion[],
    text: string,
    intent: 'out_of_scope' | 'rejection',
    state: ConversationState,
    base: Omit<Answer, 'answer' | 'grounded' | 'outcome' | 'intent'>,
  ): Answer {
    state.options = suggestions.map((s) => ({ text: s.title, docId: s.sourceId }));
    return {
      ...base,
      answer: text,
      grounded: false,
      outcome: 'declined',
      intent,
      alternatives: suggestions,
      followUps: suggestions.map((s) => s.title),
      handoff: deps.handoffContact,
    };
  }

  function smallTalk(
    kind: Exclude<MessageKind, 'question' | 'rejection'>,
    base: Omit<Answer, 'answer' | 'grounded' | 'outcome' | 'intent'>,
    state: ConversationState,
  ): Answer {
    state.options = [];
    switch (kind) {
      case 'handoff': {
        // Right after an answer about a procedure, who handles it is said too.
        const info = state.answered
          ? deps.retriever()?.snapshot.document(state.answered.docId)?.procedure
          : undefined;
        const agency = info ? firstAgency(info) : '';
        return {
          ...base,
          answer: say.handoffReply(
            deps.handoffContact,
            info && agency ? { name: info.name, agency } : undefined,
          ),
          grounded: false,
          outcome: 'smalltalk',
          intent: 'handoff',
          handoff: deps.handoffContact,
        };
      }
      case 'thanks':
        return { ...base, answer: say.THANKS, grounded: false, outcome: 'smalltalk', intent: 'thanks' };
      default: {
        state.options = say.EXAMPLE_QUESTIONS.map((text) => ({ text }));
        const text = kind === 'greeting' ? say.GREETING : say.HELP;
        return {
          ...base,
          answer: text,
          grounded: false,
          outcome: 'smalltalk',
          intent: kind,
          followUps: [...say.EXAMPLE_QUESTIONS],
        };
      }
    }
  }

  function answerDocument(
    retriever: Retriever,
    docId: string,
    fields: ProcedureField[],
    state: ConversationState,
    base: Omit<Answer, 'answer' | 'grounded' | 'outcome' | 'intent'>,
    /** The follow-up asked, when the answer is to one: what its record does not hold is told so. */
    asking?: string,
  ): Answer {
    const doc = retriever.snapshot.document(docId)!;
    const composed =
      doc.kind === 'procedure'
        ? asking !== undefined && models.details.asksUnrecorded(asking)
          ? composeUnrecorded(retriever.snapshot, doc)
          : composeProcedure(retriever.snapshot, doc, fields, models.fields.companions)
        : composeLegal({
            doc,
            score: 1,
            lexicalRank: null,
            vectorRank: null,
            exact: false,
            chunks: focusChunks(retriever, doc, state),
          });
    setFocus(state, doc, composed);
    return finish(composed, doc, state, fields, { ...base, confidence: 1 }, deps.handoffContact);
  }

  /**
   * Declines with up to three close matches. The focus becomes `keep` (a side question in a
   * conversation), else the first match, so that "nộp ở đâu?" next is read about the likeliest
   * procedure, named in the answer; with no match there is no focus.
   */
  function decline(
    result: Retrieval,
    fields: ProcedureField[],
    state: ConversationState,
    base: Omit<Answer, 'answer' | 'grounded' | 'outcome' | 'intent'>,
    keep?: ConversationState['focus'],
  ): Answer {
    const suggestions = result.results.slice(0, 3).map((r) => suggestionOf(r.doc));
    state.pendingFields = fields;
    if (keep) state.focus = keep;
    else if (suggestions[0]) state.focus = { docId: suggestions[0].sourceId };
    else delete state.focus;
    return offering(
      suggestions,
      say.declineReply(suggestions, deps.handoffContact),
      'out_of_scope',
      state,
      base,
    );
  }

  return {
    reply: (question) => reply(question),
    replyStream: (question, onDelta) => reply(question, onDelta),
    cacheStats: () => ({ retrieval: cache.stats(), syllables: syllableCache.stats() }),
    turnsWaiting: () => gate.queued,
  };
}

/** The results to offer as options when declining: only when they share some words with the question. */
function suggestible(result: Retrieval, features: ConfidenceFeatures): Retrieval {
  return features.coverage >= SUGGEST_COVERAGE ? result : { ...result, results: [] };
}

/** Composes from the first result; similar procedures become choices. */
function composeTop(
  retriever: Retriever,
  result: Retrieval,
  fields: ProcedureField[],
  models: AnswerModels,
): Composed {
  const top = result.results[0]!;
  if (top.doc.kind !== 'procedure') return composeLegal(top);
  const composed = composeProcedure(retriever.snapshot, top.doc, fields, models.fields.companions);
  composed.alternatives = similarProcedures(result.results);
  return composed;
}

/**
 * Wraps a composition into an Answer; similar procedures come first among the numbered follow-ups.
 * An answer without citations, or one saying the record lacks what was asked, is declined with `handoff`.
 */
function finish(
  composed: Composed,
  doc: DocumentMeta,
  state: ConversationState,
  fields: ProcedureField[],
  base: Omit<Answer, 'answer' | 'grounded' | 'outcome' | 'intent'>,
  handoff: string,
): Answer {
  const alternatives = composed.alternatives;
  const text =
    alternatives.length > 0
      ? `${composed.answer}\n\n${say.choiceNote(alternatives, doc.title)}`
      : composed.answer;
  state.options = [
    ...alternatives.map((a) => ({ text: a.title, docId: a.sourceId })),
    ...composed.followUps.map((t) => ({ text: t })),
  ];
  state.pendingFields = fields;
  // The record was found but holds nothing of what was asked: say so, and do not count it as answered.
  const grounded = composed.citations.length > 0 && !composed.unrecorded;
  return {
    ...base,
    answer: grounded
      ? text
      : composed.unrecorded === 'detail'
        ? `${text}\n\n${say.unrecordedDetailNote(handoff)}`
        : composed.unrecorded
          ? `${text}\n\n${say.unrecordedNote(fields.map((f) => FIELD_LABELS[f]).join(', '), handoff)}`
          : `${text}\n\n${say.handoffReply(handoff)}`.trim(),
    citations: composed.citations,
    grounded,
    outcome: grounded ? 'grounded' : 'declined',
    ...(grounded ? {} : { handoff }),
    intent: doc.kind === 'procedure' ? 'procedure' : 'legal',
    ...(composed.field ? { field: composed.field } : {}),
    alternatives,
    followUps: state.options.map((o) => o.text),
  };
}

/** Remembers the document (and for legal texts the passage) an answer was about. */
function setFocus(state: ConversationState, doc: DocumentMeta, composed: Composed): void {
  const chunkId = doc.kind === 'procedure' ? undefined : composed.citations[0]?.chunkId;
  state.focus = {
    docId: doc.id,
    ...(composed.field ? { field: composed.field } : {}),
    ...(chunkId ? { chunkId } : {}),
  };
}

/** Passages of a legal document in focus ("điều nào quy định việc này?"): the one last cited, else the first. */
function focusChunks(retriever: Retriever, doc: DocumentMeta, state: ConversationState): RetrievedChunk[] {
  const chunks = documentChunks(retriever.snapshot, doc.id);
  const focused = chunks.find((c) => c.id === state.focus?.chunkId) ?? chunks[0];
  return focused ? [{ chunk: focused, score: 1 }] : [];
}

/** Key grouping the same unanswered question typed differently (case, diacritics, punctuation). */
export function gapKey(message: string): string {
  return plainKey(message);
}

/**
 * The move made of the conversation model's reading and the answer-or-decline model's: a switch
 * needs a subject the assistant can answer (`confident`: the message's own first result answers
 * it); otherwise the message most likely goes on about the focus, or asks something new the
 * search is not sure of. A side question to decline whose own first result, another procedure
 * than the focus, answers it with confidence is a switch when a switch is likelier than a follow-up.
 */
export function settledMove(
  read: { move: ConversationMove; p: Record<string, number> },
  confident: boolean,
  ownTopIsFocus: boolean,
): ConversationMove | 'unsure-switch' {
  const { move, p } = read;
  if (move === 'switch' && !confident) return p.followup! >= p.decline! ? 'followup' : 'unsure-switch';
  if (move === 'decline' && confident && !ownTopIsFocus && p.switch! >= p.followup!) return 'switch';
  return move;
}

/**
 * What a declined turn leaves in the administrators' list of unanswered questions, null for none: the
 * question; when the procedure was found but its record lacks what was asked, followed by the
 * procedure's code and the fields ("cần giấy tờ gì? [1.000001: Thành phần hồ sơ]"), so that a bare
 * follow-up or a numbered choice still says which record to complete; when the user said the last
 * answer was not what they meant, the question it answered and the document cited (`rejected`).
 */
export function gapQuestion(
  question: string,
  answer: Answer,
  rejected?: ConversationState['answered'],
): string | null {
  if (answer.intent === 'rejection')
    return rejected ? `${rejected.question} [${rejected.docId}: trả lời chưa đúng ý]` : null;
  if (answer.outcome !== 'declined' || question.length > MAX_QUESTION_CHARS) return null;
  const code = answer.intent === 'procedure' ? answer.citations[0]?.sourceId : undefined;
  if (code)
    return `${question} [${code}: ${answer.field ? FIELD_LABELS[answer.field] : 'thông tin được hỏi'}]`;
  return /\p{L}/u.test(question) ? question : null;
}
