import { describe, expect, it } from 'vitest';
import { procStatFields } from '../../src/lib/proc.js';

describe('procStatFields', () => {
  it('reads the fields after a command name that holds spaces and parentheses', () => {
    const stat = '4242 (node (worker) 2) S 1 4242 4242 0 -1 4194560 100 0 0 0 731 42 0 0 20 0 11 0 9876 0 0';
    const fields = procStatFields(stat);
    expect(fields[0]).toBe('S'); // field 3, state
    expect(fields[11]).toBe('731'); // field 14, utime
    expect(fields[12]).toBe('42'); // field 15, stime
    expect(fields[19]).toBe('9876'); // field 22, starttime
  });

  it('reads the start time of this very process', async () => {
    const { readFileSync } = await import('node:fs');
    const fields = procStatFields(readFileSync('/proc/self/stat', 'utf8'));
    expect(fields[0]).toMatch(/^[RSDZTtWXxKWPI]$/u);
    expect(Number(fields[19])).toBeGreaterThan(0);
  });
});
