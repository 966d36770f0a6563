import { spawn } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { cpuMs } from '../../scripts/lib/server.js';

describe('bench server helpers', () => {
  it('reads the CPU time a busy process has used, so the bench can report CPU per request', async () => {
    const busy = spawn(process.execPath, ['-e', 'const t = Date.now(); while (Date.now() - t < 10000) {}']);
    try {
      const start = Date.now();
      let used = await cpuMs(busy.pid!);
      // The count grows while it spins (on a loaded machine more slowly than the wall clock).
      while (used < 100 && Date.now() - start < 8000) {
        await sleep(100);
        used = await cpuMs(busy.pid!);
      }
      expect(used).toBeGreaterThanOrEqual(100);
      expect(used).toBeLessThanOrEqual(Date.now() - start + 500);
    } finally {
      busy.kill();
    }
  });

  it('counts nothing for a process that does not exist', async () => {
    expect(await cpuMs(2 ** 22 + 12345)).toBe(0);
  });
});
