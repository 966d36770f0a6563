import type { Server } from 'node:http';
import { openIndex } from './admin/first-start.js';
import { createApp } from './channels/app.js';
import { loadConfig } from './config.js';
import { describeError } from './errors.js';
import type { Retriever } from './retrieve/retriever.js';

async function main(): Promise<void> {
  const config = loadConfig();
  const log = (line: string) => process.stdout.write(`${new Date().toISOString()} ${line}\n`);
  let retriever: Retriever | null = null;
  const app = createApp({ retriever: () => retriever });
  const server: Server = app.listen(config.port, config.host, () => {
    log(`Trợ lý Công vụ listening on http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${config.port}`);
  });
  const stop = () => {
    log('shutting down');
    server.close(() => process.exit(0));
    setTimeout(() => process.exit(0), 10_000).unref();
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  retriever = await openIndex(config, log);
  log(`ready: snapshot ${retriever.snapshot.manifest.id}`);
}

main().catch((err: unknown) => {
  process.stderr.write(`start failed: ${describeError(err)}\n`);
  process.exit(1);
});
