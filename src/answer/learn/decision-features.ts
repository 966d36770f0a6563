/**
 * Named numeric features of the answer-or-decline and conversation decisions, shared by training
 * and serving. Version DECISION_FEATURES in models.ts names this extraction.
 */
import type { IndexSnapshot } from '../../index/snapshot.js';
import { confidenceFeatures, type ConfidenceFeatures } from '../confidence.js';
import { documentChunks } from '../extractive.js';
import type { Features } from './linear.js';
import type { TurnKind } from './models.js';

/**
 * Features of "is the first result the answer?" for a retrieval and the message's kind scores. A
 * first result that is a legal article, not a procedure record, has its own copy of every feature
 * and a bias of its own (`law`, `law:…`): it has no procedure name to cover, and what makes it
 * right weighs differently, so the two are fitted side by side in one model without bending each
 * other's weights.
 */
export function decideFeatures(f: ConfidenceFeatures, turn: Record<TurnKind, number>): Features {
  const features: [string, number][] = [
    ['coverage', f.coverage],
    ['titleCoverage', f.titleCoverage],
    ['bigramCoverage', f.bigramCoverage],
    ['margin', f.margin],
    ['agree', f.agree],
    ['fewWords', f.words <= 2 ? 1 : 0],
    ['manyWords', Math.min(1, f.words / 20)],
    ['unknown1', f.unknown >= 1 ? 1 : 0],
    ['unknown2', f.unknown >= 2 ? 1 : 0],
    ['nameShare', f.nameShare],
    ['idfCoverage', f.idfCoverage],
    ['missingRarity', f.missingRarity],
    ['lexicalFirst', f.lexicalFirst],
    ['nameGap', f.nameGap],
    ['similarity', f.similarity],
    ['offtopic', turn.offtopic],
    ['followup', turn.followup],
    ['new', turn.new],
  ];
  if (f.procedure === 1) return new Map(features);
  return new Map([['law', 1], ...features.map(([name, x]): [string, number] => [`law:${name}`, x])]);
}

/** How a message's subject words fit a document (the one in focus), over its title and all its passages. */
export function fitToDocument(snapshot: IndexSnapshot, docId: string, message: string): ConfidenceFeatures {
  const doc = snapshot.document(docId)!;
  const chunks = documentChunks(snapshot, docId).map((chunk) => ({ chunk, score: 1 }));
  return confidenceFeatures(
    message,
    { results: [{ doc, score: 1, lexicalRank: 0, vectorRank: 0, exact: false, chunks }] },
    snapshot,
  );
}

/** What is known of a message when a document is in focus. */
export interface ConversationSignals {
  turn: Record<TurnKind, number>;
  /** Probability (decide model) that the message's own first result answers it. */
  standalone: number;
  /** 1 when the message's own first result is the document in focus. */
  sameTop: number;
  /** The message's own retrieval features (its first result). */
  own: ConfidenceFeatures;
  /** The message's subject words against the focus document. */
  focus: ConfidenceFeatures;
}

/** Features of "follow up, switch subject or decline?" */
export function conversationFeatures(s: ConversationSignals): Features {
  return new Map([
    ['followup', s.turn.followup],
    ['new', s.turn.new],
    ['offtopic', s.turn.offtopic],
    ['standalone', s.standalone],
    ['sameTop', s.sameTop],
    ['ownNameShare', s.own.nameShare],
    ['ownTitleCoverage', s.own.titleCoverage],
    ['focusCoverage', s.focus.coverage],
    ['focusIdfCoverage', s.focus.idfCoverage],
    ['ownMissingRarity', s.own.missingRarity],
    ['focusMissingRarity', s.focus.missingRarity],
    ['unknown', s.own.unknown >= 1 ? 1 : 0],
    ['focusTitleCoverage', s.focus.titleCoverage],
    ['fewWords', s.own.words <= 2 ? 1 : 0],
    ['manyWords', Math.min(1, s.own.words / 20)],
  ]);
}
