/**
 * Entry point of `npm start`: checks the Node.js version before anything loads a native addon
 * (on Node 20 better-sqlite3 13 ends the process with a bare segmentation fault), then starts
 * the server.
 */
import { nodeVersionProblem } from './node-version.js';

const problem = nodeVersionProblem(process.version);
if (problem) {
  console.error(problem);
  process.exit(1);
}
await import('./main.js');
