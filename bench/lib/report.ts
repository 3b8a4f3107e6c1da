// Printing: plain fixed-width tables, and the target checks shared by the table and the JSON.
import type { CpuShare } from './proc';

export function table(headers: string[], rows: (string | number)[][], align?: ('l' | 'r')[]): string {
  const cells = [headers, ...rows.map((row) => row.map((cell) => String(cell)))];
  const widths = headers.map((_, column) => Math.max(...cells.map((row) => (row[column] ?? '').length)));
  const line = (row: string[]) =>
    row
      .map((cell, column) =>
        (align?.[column] ?? (column === 0 ? 'l' : 'r')) === 'l' ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!),
      )
      .join('  ')
      .trimEnd();
  return [line(cells[0]!), widths.map((width) => '-'.repeat(width)).join('  '), ...cells.slice(1).map(line)].join('\n');
}

export const fixed = (value: number | undefined, digits = 1): string =>
  value === undefined || !Number.isFinite(value) ? 'n/a' : value.toFixed(digits);
export const pct = (value: number | undefined, digits = 0): string =>
  value === undefined || !Number.isFinite(value) ? 'n/a' : `${value.toFixed(digits)}%`;

/** "api 95 · worker 40 · …" in percent of one core (the machine has two: 200% is all of it). */
export function cpuSummary(cpu: CpuShare, order: string[]): string {
  const parts = order
    .filter((name) => cpu.parts[name] !== undefined && cpu.parts[name] >= 0.5)
    .map((name) => `${name} ${cpu.parts[name]!.toFixed(0)}`);
  return `${parts.join(' · ')} · others ${cpu.others.toFixed(0)} | total ${cpu.machine.toFixed(0)}`;
}

export interface Target {
  section: string;
  target: string;
  measured: string;
  holds: boolean;
}

export const verdict = (holds: boolean) => (holds ? 'HOLDS' : 'MISSED');

/**
 * CPU time each part spent per item (request, reminder) during a window: noise from other
 * tenants changes rates a lot from run to run, but barely changes what one item costs.
 */
export function cpuPerItem(cpu: CpuShare, items: number, unit: 'ms' | 's', order: string[]): { total: number; text: string } {
  const factor = unit === 'ms' ? 1000 : 1;
  const per = (name: string) => partCpuPerItem(cpu, name, items) * factor;
  const parts = order.filter((name) => cpu.parts[name] !== undefined && per(name) >= (unit === 'ms' ? 0.05 : 0.005));
  const total = Object.keys(cpu.parts).reduce((sum, name) => sum + per(name), 0);
  const digits = unit === 'ms' ? 1 : 2;
  return { total, text: `${parts.map((name) => `${name} ${per(name).toFixed(digits)}`).join(' · ')} = ${total.toFixed(digits)} ${unit}` };
}

/** CPU-seconds one part spent per item (request, reminder) during a window. */
export function partCpuPerItem(cpu: CpuShare, part: string, items: number): number {
  return (((cpu.parts[part] ?? 0) / 100) * cpu.seconds) / Math.max(items, 1);
}

/** What a section prints under its heading, and the targets it checks. */
export interface SectionReport {
  lines: string[];
  targets: Target[];
}

/** The order parts are listed in the CPU columns. */
export const CPU_ORDER = ['api', 'worker', 'temporal', 'ferretdb', 'ceiling-api', 'old-design-api', 'bare-worker', 'livekit', 'bench'];

/** "api 12 · temporal 40 …": percent of the window each part's threads waited for a core. */
export const waitSummary = (cpu: { runQueueWait: Record<string, number> }) =>
  Object.entries(cpu.runQueueWait)
    .filter(([, value]) => value >= 0.5)
    .map(([name, value]) => `${name} ${value.toFixed(0)}%`)
    .join(' · ');
