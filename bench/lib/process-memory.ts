/**
 * Memory of another process, read from Linux's /proc/<pid>/status: resident set now (VmRSS) and its
 * peak (VmHWM), in bytes. A sampler keeps the largest VmRSS seen.
 */
import { readFileSync } from 'node:fs';

export interface ProcessMemory {
  readonly rss: number;
  readonly peakRss: number;
}

export function processMemory(pid: number): ProcessMemory | undefined {
  let status: string;
  try {
    status = readFileSync(`/proc/${pid}/status`, 'utf8');
  } catch {
    return undefined;
  }
  const kib = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? Number.NaN) * 1024;
  return { rss: kib('VmRSS'), peakRss: kib('VmHWM') };
}

/** Samples VmRSS every `intervalMs`; `stop()` gives the largest value seen and the kernel's peak. */
export function sampleMemory(pid: number, intervalMs = 250): { stop(): { maxRss: number; peakRss: number; samples: number } } {
  let maxRss = 0;
  let peakRss = 0;
  let samples = 0;
  const take = () => {
    const memory = processMemory(pid);
    if (!memory) return;
    samples++;
    maxRss = Math.max(maxRss, memory.rss);
    peakRss = Math.max(peakRss, memory.peakRss);
  };
  take();
  const timer = setInterval(take, intervalMs);
  return {
    stop() {
      take();
      clearInterval(timer);
      return { maxRss, peakRss, samples };
    },
  };
}
