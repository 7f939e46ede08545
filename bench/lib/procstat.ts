// Memory and CPU of processes from /proc (Linux): the servers' RSS is polled during each
// scenario; CPU time comes from utime + stime deltas of /proc/<pid>/stat.
import { readFileSync } from 'node:fs';

/** Clock ticks per second of /proc/<pid>/stat (getconf CLK_TCK; 100 on Linux x86-64). */
const CLK_TCK = 100;

export interface MemInfo {
  rssMb: number;
  hwmMb: number;
}

export function memOf(pid: number): MemInfo | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0);
    return { rssMb: kb('VmRSS') / 1024, hwmMb: kb('VmHWM') / 1024 };
  } catch {
    return null;
  }
}

/** CPU seconds (user + system) a process has used so far, or null when it is gone. */
export function cpuSecondsOf(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name is in parentheses and may contain spaces: fields start after ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // fields[0] is field 3 (state); utime is field 14, stime field 15.
    return (Number(fields[11]) + Number(fields[12])) / CLK_TCK;
  } catch {
    return null;
  }
}

/** Busy and total CPU time of the whole machine, in seconds (first line of /proc/stat). */
export function machineCpu(): { busy: number; total: number } {
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0];
  const v = line.trim().split(/\s+/).slice(1).map(Number);
  const idle = (v[3] ?? 0) + (v[4] ?? 0);
  const total = v.reduce((a, b) => a + b, 0);
  return { busy: (total - idle) / CLK_TCK, total: total / CLK_TCK };
}

export interface Usage {
  /** Peak RSS seen while polling, per server, in MB. */
  serverPeakRssMb: number[];
  /** CPU used by each server during the scenario, in cores (1.0 = one core busy the whole time). */
  serverCpuCores: number[];
  /** CPU of the PostgreSQL backends serving the benchmark database, in cores. */
  postgresCpuCores: number | null;
  /** CPU of this process (the load generator), in cores. */
  generatorCpuCores: number;
  /** The whole machine's busy share, 0..1 (other engineers' work included). */
  machineBusy: number;
  /** Seconds measured. */
  wallS: number;
  /** WAL PostgreSQL wrote meanwhile (the whole server), in MB, and the checkpoints it began. */
  walMb: number | null;
  checkpoints: number | null;
}

/** Where PostgreSQL's WAL is (bytes since 0/0) and how many checkpoints it has made. */
export interface WalPosition {
  walBytes: number;
  checkpoints: number;
}

/**
 * CPU milliseconds per request of the servers (all instances) and of PostgreSQL: less
 * sensitive to a busy machine than requests per second (1000 / ms = requests per second
 * one free core could serve).
 */
export function cpuMsPerRequest(u: Usage, requests: number): { server: number | null; postgres: number | null } {
  if (requests <= 0) return { server: null, postgres: null };
  const server = u.serverCpuCores.reduce((a, b) => a + b, 0);
  const perReq = (cores: number) => Math.round(((cores * u.wallS * 1000) / requests) * 100) / 100;
  return { server: perReq(server), postgres: u.postgresCpuCores === null ? null : perReq(u.postgresCpuCores) };
}

/**
 * Polls the servers' memory every 100 ms between start() and stop(); measures CPU from
 * deltas. `backendPids` is asked at start and at stop: backends that appear during the
 * scenario count from zero.
 */
export class UsageProbe {
  private timer: NodeJS.Timeout | null = null;
  private peaks: number[];
  private cpuStart: (number | null)[] = [];
  private backendStart = new Map<number, number>();
  private genStart = process.cpuUsage();
  private machineStart = machineCpu();
  private wallStart = 0;
  private walStart: WalPosition | null = null;

  constructor(
    private readonly serverPids: number[],
    private readonly backendPids: () => Promise<number[]>,
    private readonly walPosition: () => Promise<WalPosition | null> = async () => null,
  ) {
    this.peaks = serverPids.map(() => 0);
  }

  async start(): Promise<void> {
    this.peaks = this.serverPids.map((pid) => memOf(pid)?.rssMb ?? 0);
    this.cpuStart = this.serverPids.map(cpuSecondsOf);
    this.backendStart.clear();
    for (const pid of await this.backendPids().catch(() => [])) {
      const s = cpuSecondsOf(pid);
      if (s !== null) this.backendStart.set(pid, s);
    }
    this.walStart = await this.walPosition().catch(() => null);
    this.genStart = process.cpuUsage();
    this.machineStart = machineCpu();
    this.wallStart = performance.now();
    this.timer = setInterval(() => this.sample(), 100);
    this.timer.unref();
  }

  private sample(): void {
    this.serverPids.forEach((pid, i) => {
      const m = memOf(pid);
      if (m && m.rssMb > this.peaks[i]) this.peaks[i] = m.rssMb;
    });
  }

  async stop(): Promise<Usage> {
    if (this.timer) clearInterval(this.timer);
    this.sample();
    const wall = (performance.now() - this.wallStart) / 1000;
    const serverCpuCores = this.serverPids.map((pid, i) => {
      const end = cpuSecondsOf(pid);
      const start = this.cpuStart[i];
      return end === null || start === null ? 0 : round2((end - start) / wall);
    });
    const gen = process.cpuUsage(this.genStart);
    const machine = machineCpu();
    const walEnd = this.walStart ? await this.walPosition().catch(() => null) : null;
    let pgSeconds: number | null = null;
    const pids = await this.backendPids().catch(() => null);
    if (pids) {
      pgSeconds = 0;
      for (const pid of pids) {
        const end = cpuSecondsOf(pid);
        if (end !== null) pgSeconds += end - (this.backendStart.get(pid) ?? 0);
      }
    }
    return {
      serverPeakRssMb: this.peaks.map((p) => Math.round(p)),
      serverCpuCores,
      postgresCpuCores: pgSeconds === null ? null : round2(pgSeconds / wall),
      generatorCpuCores: round2((gen.user + gen.system) / 1e6 / wall),
      machineBusy: round2(
        (machine.busy - this.machineStart.busy) / Math.max(0.001, machine.total - this.machineStart.total),
      ),
      wallS: round2(wall),
      walMb: walEnd && this.walStart ? round2((walEnd.walBytes - this.walStart.walBytes) / 1e6) : null,
      checkpoints: walEnd && this.walStart ? walEnd.checkpoints - this.walStart.checkpoints : null,
    };
  }
}

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}
