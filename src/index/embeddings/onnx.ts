import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { AppError } from '../../errors.js';
import { ProjectEmbeddings, type EmbedderInfo } from './base.js';

type Extractor = (
  texts: string[],
  options: { pooling: 'mean'; normalize: boolean },
) => Promise<{ tolist(): number[][] }>;

/** The part of `@huggingface/transformers` used here; the package is installed only by those who use ONNX models. */
interface Transformers {
  env: { allowRemoteModels: boolean; allowLocalModels: boolean; localModelPath: string };
  pipeline(
    task: 'feature-extraction',
    model: string,
    options: { local_files_only: boolean },
  ): Promise<unknown>;
}

/** Not a dependency of the project (≈ 465 MB with onnxruntime): `npm install @huggingface/transformers` to use EMBEDDINGS_ONNX_DIR. */
const TRANSFORMERS = '@huggingface/transformers';

async function importTransformers(): Promise<Transformers> {
  try {
    return (await import(TRANSFORMERS)) as Transformers;
  } catch (cause) {
    throw new AppError(
      'embedder_unavailable',
      `EMBEDDINGS_ONNX_DIR is set but ${TRANSFORMERS} is not installed; run \`npm install ${TRANSFORMERS}\` (it is optional and not installed by npm ci)`,
      {
        cause,
        reason: `Chưa cài gói ${TRANSFORMERS} để chạy mô hình ONNX (EMBEDDINGS_ONNX_DIR); chạy \`npm install ${TRANSFORMERS}\` hoặc bỏ biến này.`,
      },
    );
  }
}

/**
 * A local sentence-embedding model folder (ONNX weights, `config.json`, tokenizer files) run by
 * `@huggingface/transformers` with remote loading switched off: nothing is ever downloaded.
 */
export class OnnxEmbeddings extends ProjectEmbeddings {
  private extractor: Promise<Extractor> | null = null;
  private dimension = 0;

  constructor(readonly dir: string) {
    super();
    if (!existsSync(path.join(dir, 'config.json'))) {
      throw new AppError(
        'config_invalid',
        `EMBEDDINGS_ONNX_DIR ${dir}: no config.json there; point it at a local model folder holding config.json, the tokenizer files and onnx/model.onnx (models are never downloaded)`,
      );
    }
  }

  get info(): EmbedderInfo {
    return { id: `onnx:${path.basename(this.dir)}`, dimension: this.dimension };
  }

  private load(): Promise<Extractor> {
    this.extractor ??= (async () => {
      const t = await importTransformers();
      t.env.allowRemoteModels = false;
      t.env.allowLocalModels = true;
      t.env.localModelPath = `${path.dirname(this.dir)}${path.sep}`;
      return (await t.pipeline('feature-extraction', path.basename(this.dir), {
        local_files_only: true,
      })) as unknown as Extractor;
    })();
    return this.extractor;
  }

  async embedDocuments(texts: string[]): Promise<number[][]> {
    const extract = await this.load();
    const out: number[][] = [];
    for (let i = 0; i < texts.length; i += 32) {
      out.push(...(await extract(texts.slice(i, i + 32), { pooling: 'mean', normalize: true })).tolist());
    }
    this.dimension = out[0]?.length ?? this.dimension;
    return out;
  }

  async embedQuery(text: string): Promise<number[]> {
    const [v] = await this.embedDocuments([text]);
    return v!;
  }

  async saveState(dir: string): Promise<void> {
    await writeFile(
      path.join(dir, 'embedder.json'),
      JSON.stringify({ kind: 'onnx', model: path.basename(this.dir), dimension: this.dimension }),
    );
  }
}
