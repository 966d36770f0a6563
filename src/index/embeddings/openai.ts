import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { AppError } from '../../errors.js';
import { ProjectEmbeddings, type EmbedderInfo } from './base.js';

const BATCH = 64;
const RETRY_DELAYS_MS = [200, 400, 800];
const TIMEOUT_MS = 30_000;

export interface OpenAICompatibleOptions {
  baseUrl: string;
  model: string;
  apiKey?: string;
}

/** Client of an OpenAI-compatible `/v1/embeddings` endpoint (vLLM, TEI, Ollama, OpenAI). */
export class OpenAICompatibleEmbeddings extends ProjectEmbeddings {
  private dimension = 0;
  private readonly url: string;

  constructor(private readonly options: OpenAICompatibleOptions) {
    super();
    this.url = `${options.baseUrl.replace(/\/+$/, '')}/embeddings`;
  }

  get info(): EmbedderInfo {
    return { id: `openai:${this.options.model}`, dimension: this.dimension };
  }

  async embedDocuments(texts: string[]): Promise<number[][]> {
    const out: number[][] = [];
    for (let i = 0; i < texts.length; i += BATCH)
      out.push(...(await this.request(texts.slice(i, i + BATCH))));
    return out;
  }

  async embedQuery(text: string): Promise<number[]> {
    const [v] = await this.request([text]);
    return v!;
  }

  async saveState(dir: string): Promise<void> {
    await writeFile(
      path.join(dir, 'embedder.json'),
      JSON.stringify({ kind: 'openai', model: this.options.model, dimension: this.dimension }),
    );
  }

  private async request(input: string[]): Promise<number[][]> {
    let last = '';
    for (let attempt = 0; attempt <= RETRY_DELAYS_MS.length; attempt++) {
      if (attempt > 0) await new Promise((r) => setTimeout(r, RETRY_DELAYS_MS[attempt - 1]));
      let res: Response;
      try {
        res = await fetch(this.url, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            ...(this.options.apiKey ? { authorization: `Bearer ${this.options.apiKey}` } : {}),
          },
          body: JSON.stringify({ model: this.options.model, input }),
          signal: AbortSignal.timeout(TIMEOUT_MS),
        });
      } catch (err) {
        last = `${this.url}: ${(err as Error).message}`;
        continue;
      }
      if (res.ok) return this.parse(await res.text(), input.length);
      const body = (await res.text().catch(() => '')).slice(0, 200).replace(/\s+/g, ' ');
      last = `${this.url} answered HTTP ${res.status}${body ? `: ${body}` : ''}`;
      if (res.status !== 429 && res.status < 500) break;
    }
    throw new AppError('embedder_unavailable', `embeddings endpoint failed: ${last}`);
  }

  private parse(text: string, expected: number): number[][] {
    let data: { index?: number; embedding?: unknown }[];
    try {
      data = (JSON.parse(text) as { data: typeof data }).data;
    } catch {
      throw new AppError('embedder_unavailable', `${this.url}: the answer is not JSON`);
    }
    if (!Array.isArray(data) || data.length !== expected) {
      throw new AppError('embedder_unavailable', `${this.url}: expected ${expected} embeddings in "data"`);
    }
    const sorted = [...data].sort((a, b) => (a.index ?? 0) - (b.index ?? 0));
    return sorted.map((d) => {
      if (!Array.isArray(d.embedding) || d.embedding.length === 0) {
        throw new AppError('embedder_unavailable', `${this.url}: an item of "data" has no embedding`);
      }
      const v = d.embedding as number[];
      if (this.dimension === 0) this.dimension = v.length;
      else if (v.length !== this.dimension) {
        throw new AppError(
          'embedder_unavailable',
          `${this.url}: dimension changed from ${this.dimension} to ${v.length}`,
        );
      }
      return v;
    });
  }
}
