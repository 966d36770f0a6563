import { describe, expect, it } from 'vitest';
import { factsQuoted, figures, type JudgedMessage } from '../../src/answer/answer-sets.js';
import type { Answer } from '../../src/answer/types.js';

const judged = (group: string, j: Partial<JudgedMessage>): JudgedMessage => ({
  id: 'q',
  text: 'q',
  group,
  answer: {} as Answer,
  answerable: true,
  gold: ['1.000001'],
  cited: false,
  facts: false,
  hasFacts: true,
  declined: false,
  ms: 1,
  ...j,
});

describe('answer-set figures, by the shared scorers’ rules', () => {
  it('counts cited, facts quoted and declined over the answerable questions of a group', () => {
    const f = figures([
      judged('citizen', { cited: true, facts: true }),
      judged('citizen', { cited: true, facts: false }),
      judged('citizen', { declined: true }),
      judged('citizen', {}),
    ]).get('citizen')!;
    expect(f).toEqual({ n: 4, cited: 0.5, facts: 0.25, declined: 0.25 });
  });

  it('reports no facts figure for a set written without facts to quote, rather than the share answered', () => {
    const f = figures([
      judged('citizen', { cited: true, facts: true, hasFacts: false }),
      judged('citizen', { facts: true, hasFacts: false }),
      judged('citizen', { declined: true, hasFacts: false }),
    ]).get('citizen')!;
    expect(f.cited).toBeCloseTo(0.333, 3);
    expect(f.facts).toBeNull();
  });

  it('reads near misses for their declined share only', () => {
    const f = figures([
      judged('unanswerable', { answerable: false, gold: [], declined: true, hasFacts: false }),
      judged('unanswerable', { answerable: false, gold: [], hasFacts: false }),
    ]).get('unanswerable')!;
    expect(f).toEqual({ n: 2, cited: null, facts: null, declined: 0.5 });
  });

  it('finds a fact whatever the digit-group separator and spacing', () => {
    expect(factsQuoted('Lệ phí:  50,000 đồng/lần', [['50.000 đồng']])).toBe(true);
    expect(factsQuoted('Lệ phí: 50.000 đồng', [['50.000 đồng'], ['05 ngày làm việc']])).toBe(false);
  });
});
