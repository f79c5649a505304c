// `npm run bench -- --processes` reads a gateway's CPU time and memory from /proc. The parsing is checked on fixed
// text (a command name with spaces and parentheses included) and once on this very process, against what Node
// itself reports.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { cpuSecondsFromStat, highWaterOf, statusBytes } from '../../bench/process-usage.ts';

// proc(5): pid (comm) state ppid pgrp session tty_nr tpgid flags minflt cminflt majflt cmajflt utime stime …
const STAT = '4242 (node (my) gw) S 1 4242 4242 0 -1 4194560 9012 0 3 0 1234 567 0 0 20 0 11 0 100 0 0';

describe('bench / process usage', () => {
  it('adds utime and stime, counted after the command name however it is spelt', () => {
    expect(cpuSecondsFromStat(STAT)).toBeCloseTo((1234 + 567) / 100, 6);
  });

  it('refuses a stat line it cannot read rather than answering a number', () => {
    expect(() => cpuSecondsFromStat('4242 (node) S 1')).toThrow(/unreadable/);
  });

  it('reads VmRSS and VmHWM in bytes', () => {
    const status = 'Name:\tnode\nVmHWM:\t  286720 kB\nVmRSS:\t  204800 kB\nThreads:\t11\n';
    expect(statusBytes(status, 'VmRSS')).toBe(204800 * 1024);
    expect(statusBytes(status, 'VmHWM')).toBe(286720 * 1024);
    expect(() => statusBytes('Name:\tnode\n', 'VmRSS')).toThrow(/no VmRSS/);
  });

  it("reads this process's own figures as Node reports them", () => {
    const { user, system } = process.cpuUsage();
    const cpu = cpuSecondsFromStat(readFileSync('/proc/self/stat', 'utf8'));
    // Ticks are 10 ms; the two readings are moments apart.
    expect(Math.abs(cpu - (user + system) / 1e6)).toBeLessThan(0.5);
    // The high-water mark never falls below what the process held at any earlier moment.
    const rss = process.memoryUsage().rss;
    expect(highWaterOf(process.pid)).toBeGreaterThanOrEqual(rss);
  });
});
