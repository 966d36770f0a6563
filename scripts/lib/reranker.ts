import type { Config } from '../../src/config.js';
import { EndpointReranker, type Reranker } from '../../src/retrieve/rerank.js';

/**
 * The re-ranking endpoint of the configuration (RERANK_BASE_URL), for the measuring commands, so
 * a province measures what it serves; says on stderr that it is used and when it fails.
 */
export function configuredReranker(config: Pick<Config, 'reranker'>): Reranker | null {
  const setting = config.reranker;
  if (!setting) return null;
  console.error(
    `re-ranking the first ${setting.depth} results with ${setting.baseUrl} (${setting.api}${setting.model ? `, ${setting.model}` : ''}, weight ${setting.weight})`,
  );
  return new EndpointReranker(setting, (reason) => console.error(`re-ranking failed: ${reason}`));
}
