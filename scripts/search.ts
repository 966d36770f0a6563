/** npm run search -- "<query>" [--k 5] [--audience public|internal] — top results with citations and scores. */
import { loadConfig } from '../src/config.js';
import { describeError } from '../src/errors.js';
import { SnapshotStore } from '../src/index/snapshot-store.js';
import { DEFAULT_RETRIEVER, Retriever } from '../src/retrieve/retriever.js';
import { parseArgs } from './lib/args.js';
import { configuredReranker } from './lib/reranker.js';

async function main(): Promise<void> {
  const { positional, flags } = parseArgs(process.argv.slice(2), ['audience', 'k']);
  const query = positional.join(' ').trim();
  if (!query) throw new Error('usage: npm run search -- "<query>" [--k 5] [--audience public|internal]');
  const config = loadConfig();
  const snapshot = await new SnapshotStore(config.dataDir).loadCurrent(config.embedder);
  if (!snapshot)
    throw new Error(`no index in ${config.dataDir}: run \`npm run ingest\` or \`npm start\` first`);
  const retriever = new Retriever(snapshot, DEFAULT_RETRIEVER, configuredReranker(config));
  const audience = flags.get('audience') === 'internal' ? 'internal' : 'public';
  const t0 = performance.now();
  const { results, query: q } = await retriever.retrieve(query, { k: Number(flags.get('k') ?? 5), audience });
  const ms = performance.now() - t0;
  if (q.restored) console.log(`(đã khôi phục dấu: "${q.restored}")`);
  if (q.fields.length) console.log(`(trường được hỏi: ${q.fields.join(', ')})`);
  if (results.length === 0) console.log('Không tìm thấy kết quả phù hợp.');
  results.forEach((r, i) => {
    console.log(
      `\n${i + 1}. ${r.doc.title}  [${r.doc.id}]  score ${r.score.toFixed(4)}${r.exact ? ' (khớp mã)' : ''}`,
    );
    if (r.doc.url) console.log(`   ${r.doc.url}`);
    for (const c of r.chunks.slice(0, 2)) {
      const page = c.chunk.page ? `, trang ${c.chunk.page}` : '';
      console.log(
        `   – ${c.chunk.citation}${page} (${c.score.toFixed(2)}): ${c.chunk.text.replace(/\s+/g, ' ').slice(0, 160)}…`,
      );
    }
  });
  console.log(`\n${results.length} kết quả trong ${ms.toFixed(1)} ms (snapshot ${snapshot.manifest.id})`);
}

main().catch((err: unknown) => {
  console.error(`search failed: ${describeError(err)}`);
  process.exit(1);
});
