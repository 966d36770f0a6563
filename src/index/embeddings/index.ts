/** Embedders behind LangChain's `Embeddings` interface, and their creation from configuration. */
import path from 'node:path';
import { AppError } from '../../errors.js';
import type { EmbedderInfo, ProjectEmbeddings } from './base.js';
import { DEFAULT_HASHED_DIMENSION, HashedNgramEmbeddings } from './hashed.js';
import { DEFAULT_LSA_DIMENSION, LSA_ID_PREFIX, LsaEmbeddings } from './lsa.js';
import { OnnxEmbeddings } from './onnx.js';
import { OpenAICompatibleEmbeddings } from './openai.js';

export { ProjectEmbeddings, l2normalize, type EmbedderInfo } from './base.js';
export { HashedNgramEmbeddings, DEFAULT_HASHED_DIMENSION } from './hashed.js';
export { LsaEmbeddings, DEFAULT_LSA_DIMENSION } from './lsa.js';
export { OpenAICompatibleEmbeddings } from './openai.js';
export { OnnxEmbeddings } from './onnx.js';

/** How chunks are embedded for the vector side of hybrid retrieval (the EMBEDDINGS settings of src/config.ts). */
export type EmbedderSetting =
  | { kind: 'lsa'; dimension?: number }
  | { kind: 'hashed'; dimension?: number }
  | { kind: 'openai'; baseUrl: string; model: string; apiKey?: string }
  | { kind: 'onnx'; dir: string }
  | { kind: 'none' };

/** Creates the configured embedder; `texts` are the passages an embedder trained on the corpus (LSA) fits on. */
export async function createEmbedder(
  setting: EmbedderSetting,
  texts: () => readonly string[],
): Promise<ProjectEmbeddings> {
  switch (setting.kind) {
    case 'lsa':
      return fitLsa(texts(), setting.dimension);
    case 'none':
      throw new AppError('config_invalid', 'EMBEDDINGS=none has no embedder');
    default:
      return withoutState(setting);
  }
}

/** The embedders that keep no state in a snapshot: built from the setting alone, at build and at load. */
function withoutState(
  setting: Extract<EmbedderSetting, { kind: 'hashed' | 'openai' | 'onnx' }>,
): ProjectEmbeddings {
  switch (setting.kind) {
    case 'hashed':
      return new HashedNgramEmbeddings(setting.dimension ?? DEFAULT_HASHED_DIMENSION);
    case 'openai':
      return new OpenAICompatibleEmbeddings(setting);
    case 'onnx':
      return new OnnxEmbeddings(setting.dir);
  }
}

/** The id prefix an embedder of this setting has. */
function expectedPrefix(setting: EmbedderSetting): string {
  switch (setting.kind) {
    case 'lsa':
      return LSA_ID_PREFIX;
    case 'hashed':
      return `hashed-v1-${setting.dimension ?? DEFAULT_HASHED_DIMENSION}`;
    case 'openai':
      return `openai:${setting.model}`;
    case 'onnx':
      return `onnx:${path.basename(setting.dir)}`;
    case 'none':
      return '';
  }
}

/** Loads the embedder a snapshot was built with, refusing one that differs from the configuration. */
export async function loadEmbedder(
  setting: EmbedderSetting,
  stateDir: string,
  expected: EmbedderInfo,
): Promise<ProjectEmbeddings> {
  const prefix = expectedPrefix(setting);
  const matches = setting.kind === 'lsa' ? expected.id.startsWith(prefix) : expected.id === prefix;
  if (setting.kind === 'none' || !matches) {
    throw new AppError(
      'embedder_mismatch',
      `the index was built with the "${expected.id}" embedder but the configuration selects "${prefix || 'none'}"; ` +
        'rebuild the index with `npm run ingest -- --rebuild` or change EMBEDDINGS / EMBEDDINGS_BASE_URL / EMBEDDINGS_ONNX_DIR back',
    );
  }
  switch (setting.kind) {
    case 'lsa': {
      const model = await LsaEmbeddings.load(stateDir);
      if (model.info.id !== expected.id) {
        throw new AppError(
          'snapshot_invalid',
          `${stateDir}: LSA model is ${model.info.id}, the manifest says ${expected.id}`,
        );
      }
      return model;
    }
    default:
      return withoutState(setting);
  }
}

/** Passages up to which the LSA model gets twice the default dimension. */
const SMALL_CORPUS_PASSAGES = 10_000;

/**
 * Fits LSA with the configured dimension, or by corpus size: 256 for up to 10,000 passages (alqac,
 * 4,153 passages: R@10 0.9695 → 0.971), 128 above, where 256 would cost ~15 s more build time for
 * 29,649 tthc passages without a measured gain.
 */
function fitLsa(texts: readonly string[], dimension?: number): LsaEmbeddings {
  return LsaEmbeddings.fit(
    texts,
    dimension ?? (texts.length <= SMALL_CORPUS_PASSAGES ? 2 * DEFAULT_LSA_DIMENSION : DEFAULT_LSA_DIMENSION),
  );
}
