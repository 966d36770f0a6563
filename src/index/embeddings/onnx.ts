import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { AppError } from '../../errors.js';
import { ProjectEmbeddings, type EmbedderInfo } from './base.js';

type Extractor = (texts: string[], options: { pooling: 'mean'; normalize: boolean }) => Promise<{ tolist(): number[][] }>;

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
      const t = await import('@huggingface/transformers');
      t.env.allowRemoteModels = false;
      t.env.allowLocalModels = true;
      t.env.localModelPath = `${path.dirname(this.dir)}${path.sep}`;
      return (await t.pipeline('feature-extraction', path.basename(this.dir), { local_files_only: true })) as unknown as Extractor;
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
    await writeFile(path.join(dir, 'embedder.json'), JSON.stringify({ kind: 'onnx', model: path.basename(this.dir), dimension: this.dimension }));
  }
}
