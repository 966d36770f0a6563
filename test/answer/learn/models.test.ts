import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile, cp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { LinearModel, type LinearModelFile } from '../../../src/answer/learn/linear.js';
import { loadAnswerModels, MODELS_DIR } from '../../../src/answer/learn/models.js';
import {
  fitConversation,
  fitDecide,
  fitConversationTurns,
  fitDetails,
  fitFields,
  fitMessages,
  fitSwitchThreshold,
  fitTurns,
  outOfFold,
  readTrainingData,
  type NumericExample,
  type SwitchSample,
} from '../../../src/answer/learn/training.js';
import { settledMove } from '../../../src/answer/assistant.js';

const root = path.resolve(import.meta.dirname, '../../..');
const shared = path.resolve(root, '..', 'shared', 'datasets');
const bundled = async (name: string) =>
  JSON.parse(await readFile(path.join(MODELS_DIR, `${name}.json`), 'utf8')) as LinearModelFile;

/** Largest difference between two models' weights (features missing on one side count as 0). */
function maxDifference(a: LinearModelFile, b: LinearModelFile): number {
  let worst = 0;
  a.bias.forEach((x, i) => (worst = Math.max(worst, Math.abs(x - b.bias[i]!))));
  for (const name of new Set([...Object.keys(a.weights), ...Object.keys(b.weights)])) {
    const wa = a.weights[name] ?? a.classes.map(() => 0);
    const wb = b.weights[name] ?? b.classes.map(() => 0);
    wa.forEach((x, i) => (worst = Math.max(worst, Math.abs(x - wb[i]!))));
  }
  return worst;
}

describe('the bundled model files', () => {
  it('load, with the fields, turn kinds and moves the answer layer expects', () => {
    const models = loadAnswerModels();
    expect(models.fields.model.classes).toContain('ho_so');
    expect(models.turns.model.classes).toEqual(['followup', 'new', 'offtopic']);
    expect(models.conversation.model.classes).toEqual(['followup', 'switch', 'decline']);
    expect(models.messages.model.classes).toEqual([
      'question',
      'greeting',
      'thanks',
      'help',
      'handoff',
      'rejection',
    ]);
    expect(models.decide.threshold).toBeGreaterThan(0);
    expect(models.decide.threshold).toBeLessThan(1);
    expect(models.details.model.classes).toEqual(['detail']);
    expect(models.details.threshold).toBeGreaterThanOrEqual(0.5);
    expect(models.details.threshold).toBeLessThan(1);
    // A switch is answered from a threshold of its own, never above the answer-or-decline one.
    expect(models.conversation.switchThreshold).toBeGreaterThan(0);
    expect(models.conversation.switchThreshold).toBeLessThanOrEqual(models.decide.threshold);
  });

  it.each([
    ['Doanh nghiệp tôi được hỗ trợ 30 phần trăm chi phí.', 'Thủ tục này thì kết quả nhận được là gì?'],
    ['Lần trước tôi nộp trễ bị phạt 5 triệu.', 'Giờ làm lại thì cần giấy tờ gì?'],
  ])('the detail model reads what is asked, not the story told first ("%s")', (story, question) => {
    const details = loadAnswerModels().details;
    expect(details.probability(`${story} ${question}`)).toBe(details.probability(question));
  });

  it('refuses a model fitted on other features, naming the file and the command that refits it', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'tlcv-models-'));
    try {
      await cp(MODELS_DIR, dir, { recursive: true });
      const stale = { ...(await bundled('turns')), features: 'folded-ngrams-v0' };
      await writeFile(path.join(dir, 'turns.json'), JSON.stringify(stale));
      expect(() => loadAnswerModels(`${dir}/`)).toThrow(
        /turns\.json: was fitted on features "folded-ngrams-v0".*npm run train/u,
      );
      await writeFile(path.join(dir, 'turns.json'), '{ not json');
      expect(() => loadAnswerModels(`${dir}/`)).toThrow(/turns\.json: cannot read the model file/u);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('refuses a model whose weights do not match its classes', () => {
    const broken = {
      format: 1,
      name: 'turns',
      features: 'x',
      classes: ['a', 'b'],
      bias: [0, 0],
      weights: { 'w:a': [1] },
    };
    expect(() => LinearModel.parse(broken, { name: 'turns', features: 'x', source: 'turns.json' })).toThrow(
      /feature "w:a" has 1 weights for 2 classes/u,
    );
  });
});

describe('the switch threshold, fitted on turns of real conversations', () => {
  const read = (move: 'followup' | 'switch' | 'decline', p = 0.6) => ({
    move,
    p: {
      followup: move === 'followup' ? p : 0.2,
      switch: move === 'switch' ? p : 0.2,
      decline: move === 'decline' ? p : 0.2,
    },
  });
  const sample = (
    label: SwitchSample['label'],
    move: 'followup' | 'switch' | 'decline',
    standalone: number,
    topRight: boolean,
  ): SwitchSample => ({ label, read: read(move), standalone, ownTopIsFocus: false, topRight });

  it('goes down to answer switches worded less fully, while they end right', () => {
    const samples = [
      sample('switch', 'switch', 0.3, true),
      sample('switch', 'switch', 0.32, true),
      sample('followup', 'followup', 0.1, false),
    ];
    expect(fitSwitchThreshold(samples, 0.45, settledMove).threshold).toBe(0.3);
  });

  it('stays where a lower one would take follow-ups away from the focus or answer wrong switches', () => {
    const samples = [
      sample('switch', 'switch', 0.3, true),
      sample('followup', 'switch', 0.31, false),
      sample('followup', 'switch', 0.33, false),
      sample('switch', 'switch', 0.28, false),
    ];
    const fit = fitSwitchThreshold(samples, 0.45, settledMove);
    expect(fit.threshold).toBe(0.45);
    expect(fit.right.at(-1)).toEqual([0.45, 2]);
  });
});

describe('out-of-fold scores', () => {
  it("come from a model that never saw the example's twin when twins share a fold", () => {
    // Forty questions typed twice (as written, then without diacritics): each pair shares a feature
    // of its own that gives its label away, as the two spellings of one question share their words.
    const examples: NumericExample[] = Array.from({ length: 80 }, (_, i) => {
      const pair = Math.floor(i / 2);
      return { x: { [`q${pair}`]: 1 }, labels: pair % 2 === 0 ? ['right'] : [], origin: 'test' };
    });
    const score = (m: LinearModel, e: NumericExample) => m.probabilities(new Map(Object.entries(e.x)));
    const fit = (train: NumericExample[]) => fitDecide(train, 0.5);
    const separated = (p: number[][]) =>
      examples.filter((e, i) => p[i]![0]! >= 0.5 === e.labels.length > 0).length;
    // Twins in different folds: each is scored by a model fitted on the other, which gives it away.
    expect(separated(outOfFold(examples, 5, fit, score))).toBe(80);
    // Twins in one fold: the score knows nothing of the pair, as for a question never seen.
    const byPair = outOfFold(examples, 5, fit, score, (i) => Math.floor(i / 2) % 5);
    expect(byPair.every((p) => Math.abs(p[0]! - 0.5) < 0.1)).toBe(true);
  });
});

/** A temporary training folder holding copies of `files` from training/, removed after `use`. */
async function withTrainingFiles(files: string[], use: (dir: string) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(path.join(tmpdir(), 'tlcv-training-'));
  try {
    for (const f of files) await cp(path.join(root, 'training', f), path.join(dir, f));
    await use(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** The training files read before the near misses, in the order they are read. */
const READ_BEFORE_NEAR_MISSES = [
  'fields.jsonl',
  'turns-in-conversation.jsonl',
  'turns.jsonl',
  'out-of-scope.txt',
  'questions-project.jsonl',
];

describe('the training files', () => {
  it('refuse a near-miss question without a text, naming the file and the record', async () => {
    await withTrainingFiles(READ_BEFORE_NEAR_MISSES, async (dir) => {
      await writeFile(
        path.join(dir, 'near-misses.jsonl'),
        '{"text": "Xin visa đi Nhật cần giấy tờ gì?"}\n{"source": "citizen"}\n',
      );
      await expect(readTrainingData(dir, shared)).rejects.toThrow(
        /near-misses\.jsonl: record 2: needs a non-empty "text"/u,
      );
    });
  });
});

describe('the focused turns', () => {
  it('refuse a turn without the procedure it was written about, naming the file and the record', async () => {
    await withTrainingFiles(['fields.jsonl'], async (dir) => {
      await writeFile(
        path.join(dir, 'turns-in-conversation.jsonl'),
        '{"text": "Xin ở tòa nào?", "kind": "followup", "focus": "3.000163"}\n' +
          '{"text": "Gần tòa có quán cơm nào ngon không?", "kind": "offtopic"}\n',
      );
      await expect(readTrainingData(dir, shared)).rejects.toThrow(
        /turns-in-conversation\.jsonl: record 2: needs "text", "focus" \(a procedure code\) and "kind"/u,
      );
    });
  });
});

/** The near-miss files read before the long questions, in the order they are read. */
const NEAR_MISS_FILES = ['near-misses.jsonl', 'near-misses-detail.jsonl'];

describe('the training questions with gold codes', () => {
  it.each([
    [
      'a long question',
      'questions-long.jsonl',
      [...READ_BEFORE_NEAR_MISSES, ...NEAR_MISS_FILES, 'near-misses-long.jsonl'],
      '{"_id": "l1", "text": "Nhà tôi ở xã Văn Quan. Xin hỏi làm giấy khai sinh cần giấy tờ gì?", "gold": ["1.001193"]}\n' +
        '{"_id": "l2", "text": "Tôi vừa mua xe. Xin hỏi đăng ký xe ở đâu?"}\n',
    ],
    [
      'an adjacent pair',
      'near-misses-adjacent.jsonl',
      [
        ...READ_BEFORE_NEAR_MISSES,
        ...NEAR_MISS_FILES,
        'questions-long.jsonl',
        'near-misses-long.jsonl',
        'legal-questions.jsonl',
      ],
      '{"_id": "a1n", "text": "Mở tài khoản ngân hàng cho con cần giấy tờ gì?", "gold": []}\n' +
        '{"_id": "a1a", "text": "Làm căn cước cho con dưới 14 tuổi cần giấy tờ gì?"}\n',
    ],
  ])('refuse %s without gold codes, naming the file and the record', async (_, file, before, lines) => {
    await withTrainingFiles(before, async (dir) => {
      await writeFile(path.join(dir, file), lines);
      await expect(readTrainingData(dir, shared)).rejects.toThrow(
        new RegExp(`${file.replace('.', '\\.')}: record 2:`, 'u'),
      );
    });
  });
});

describe.skipIf(!existsSync(path.join(shared, 'tthc-answers')))(
  'a refit from the data reproduces the bundled models',
  () => {
    it('names a question of another training file that a message line of another kind overrides', async () => {
      const dir = await mkdtemp(path.join(tmpdir(), 'tlcv-training-'));
      try {
        await cp(path.join(root, 'training'), dir, { recursive: true });
        const turn = JSON.parse((await readFile(path.join(dir, 'turns.jsonl'), 'utf8')).split('\n')[0]!) as {
          text: string;
        };
        const messages = path.join(dir, 'messages.jsonl');
        await writeFile(
          messages,
          (await readFile(messages, 'utf8')) +
            JSON.stringify({ text: turn.text.toUpperCase(), kind: 'help' }) +
            '\n',
        );
        const data = await readTrainingData(dir, shared);
        expect(data.messagesOverriding).toContainEqual({ text: turn.text, kind: 'help' });
        expect(data.messages.filter((m) => m.text === turn.text)).toEqual([]);
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    }, 120_000);

    it('fits the field and turn models again from training/ and the shared train files', async () => {
      const data = await readTrainingData(path.join(root, 'training'), shared);
      const fields = fitFields(data.fields, (await bundled('fields')).settings);
      expect(maxDifference(fields, await bundled('fields'))).toBeLessThan(1e-3);
      expect(maxDifference(fitTurns(data.turns), await bundled('turns'))).toBeLessThan(1e-3);
      expect(
        maxDifference(
          fitConversationTurns([...data.turns, ...data.focusedTurns]),
          await bundled('conversation-turns'),
        ),
      ).toBeLessThan(1e-3);
      const messages = fitMessages(data.messages, (await bundled('messages')).settings);
      expect(maxDifference(messages, await bundled('messages'))).toBeLessThan(1e-3);
      const details = fitDetails(data.details, (await bundled('details')).settings);
      expect(maxDifference(details, await bundled('details'))).toBeLessThan(1e-3);
    }, 240_000);

    it('fits the decide and conversation models again from their samples', async () => {
      const lines = (await readFile(path.join(root, 'training', 'decision-samples.jsonl'), 'utf8'))
        .trim()
        .split('\n');
      const samples = lines.map((l) => JSON.parse(l) as NumericExample & { model: string });
      const decide = await bundled('decide');
      const threshold = decide.settings?.threshold as number;
      const lawShift = (decide.settings?.lawShift as number | undefined) ?? 0;
      expect(
        maxDifference(
          fitDecide(
            samples.filter((s) => s.model === 'decide'),
            threshold,
            lawShift,
          ),
          decide,
        ),
      ).toBeLessThan(1e-3);
      expect(
        maxDifference(
          fitConversation(samples.filter((s) => s.model === 'conversation')),
          await bundled('conversation'),
        ),
      ).toBeLessThan(1e-3);
    }, 120_000);
  },
);

describe('the message training file', () => {
  it('refuses a message whose kind is not one the model knows, naming the file, the record and the kinds', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'tlcv-training-'));
    try {
      await cp(path.join(root, 'training'), dir, { recursive: true });
      await writeFile(
        path.join(dir, 'messages.jsonl'),
        '{"text": "chào bạn", "kind": "greeting"}\n{"text": "tạm biệt", "kind": "goodbye"}\n',
      );
      await expect(readTrainingData(dir, shared)).rejects.toThrow(
        /messages\.jsonl: record 2: needs "text" and "kind" among question, greeting, thanks, help, handoff, rejection/u,
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
