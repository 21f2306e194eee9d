/**
 * Memory of another process, read from Linux's /proc/<pid>/status: resident set now (VmRSS) and its
 * peak (VmHWM), in bytes. A sampler keeps the largest VmRSS seen.
 */
import { readdirSync, readFileSync } from 'node:fs';

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

/**
 * The memory of a process and of every process below it (a primary and its workers): VmRSS summed, the
 * largest VmHWM of any one, and how many processes there were; undefined when `pid` is gone or not Linux.
 */
export function processTreeMemory(pid: number): { rss: number; peakRssPerProcess: number; processes: number } | undefined {
  const parents = new Map<number, number[]>();
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return undefined;
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // The command name (2nd field) is in parentheses and may hold spaces: the parent is the 2nd field after it.
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      parents.set(parent, [...(parents.get(parent) ?? []), Number(entry)]);
    } catch {
      // The process ended between the listing and the read.
    }
  }
  let rss = 0;
  let peakRssPerProcess = 0;
  let processes = 0;
  const visit = (id: number) => {
    const memory = processMemory(id);
    if (memory) {
      rss += memory.rss;
      peakRssPerProcess = Math.max(peakRssPerProcess, memory.peakRss);
      processes += 1;
    }
    for (const child of parents.get(id) ?? []) visit(child);
  };
  visit(pid);
  return processes === 0 ? undefined : { rss, peakRssPerProcess, processes };
}
