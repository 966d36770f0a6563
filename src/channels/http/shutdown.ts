import type { Server } from 'node:http';

/**
 * Stops a server gracefully: no new connections, in-flight requests finish, idle keep-alive
 * connections close at once, and whatever is still open after `timeoutMs` is cut. Then `onClose` runs.
 */
export function gracefulShutdown(
  server: Server,
  options: { timeoutMs: number; onClose?: () => Promise<void> },
): () => Promise<void> {
  let stopping: Promise<void> | null = null;
  return () => {
    stopping ??= new Promise<void>((resolve) => {
      const force = setTimeout(() => server.closeAllConnections(), options.timeoutMs);
      force.unref();
      server.close(() => {
        clearTimeout(force);
        void (options.onClose?.() ?? Promise.resolve()).finally(resolve);
      });
      server.closeIdleConnections();
    });
    return stopping;
  };
}
