/**
 * Entry point of `npm start`: checks the Node.js version before anything loads a native addon
 * (on Node 20 better-sqlite3 13 ends the process with a bare segmentation fault), then starts
 * the server: one process, or with WORKERS > 1 a primary that starts that many (src/cluster.ts).
 */
import { nodeVersionProblem } from './node-version.js';

const problem = nodeVersionProblem(process.version);
if (problem) {
  console.error(problem);
  process.exit(1);
}
const cluster = (await import('node:cluster')).default;
const { loadConfig } = await import('./config.js');
// A bad setting is reported by main.js, which reads the configuration again.
const config = cluster.isPrimary
  ? (() => {
      try {
        return loadConfig();
      } catch {
        return null;
      }
    })()
  : null;
if (config && config.workers > 1) {
  const { runPrimary } = await import('./cluster.js');
  const { createLogger } = await import('./channels/http/logger.js');
  const logger = createLogger({ level: config.logLevel });
  await runPrimary(config.workers, (line) => logger.info(line));
} else await import('./main.js');
