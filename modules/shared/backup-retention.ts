/**
 * Which backups a retention policy keeps (restic's forget --keep-last/--keep-daily/... rules): the newest N, or the
 * newest backup of each of the last `daily` days, `weekly` ISO weeks and `monthly` months (UTC). The newest
 * backup is always kept. Pure.
 */

export type Keep = number | { daily?: number; weekly?: number; monthly?: number };

export interface Dated {
  name: string;
  /** Epoch seconds. */
  time: number;
}

function day(time: number): string {
  return new Date(time * 1000).toISOString().slice(0, 10);
}

function isoWeek(time: number): string {
  const d = new Date(time * 1000);
  const date = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()));
  // ISO 8601: the week belongs to the year of its Thursday.
  const weekday = date.getUTCDay() === 0 ? 7 : date.getUTCDay();
  date.setUTCDate(date.getUTCDate() + 4 - weekday);
  const yearStart = Date.UTC(date.getUTCFullYear(), 0, 1);
  const week = Math.ceil(((date.getTime() - yearStart) / 86400000 + 1) / 7);
  return `${date.getUTCFullYear()}-W${String(week).padStart(2, "0")}`;
}

function month(time: number): string {
  return new Date(time * 1000).toISOString().slice(0, 7);
}

/** Keeps the newest backup of each of the `count` newest buckets. */
function newestPerBucket<T extends Dated>(newestFirst: readonly T[], bucket: (time: number) => string, count: number, kept: Set<T>): void {
  const seen = new Set<string>();
  for (const b of newestFirst) {
    if (seen.size >= count) break;
    const key = bucket(b.time);
    if (seen.has(key)) continue;
    seen.add(key);
    kept.add(b);
  }
}

/** The backups to delete, oldest first. */
export function expiredBackups<T extends Dated>(backups: readonly T[], keep: Keep): T[] {
  const newestFirst = [...backups].sort((a, b) => b.time - a.time || b.name.localeCompare(a.name));
  const kept = new Set<T>(newestFirst.slice(0, 1));
  if (typeof keep === "number") newestFirst.slice(0, keep).forEach((b) => kept.add(b));
  else {
    newestPerBucket(newestFirst, day, keep.daily ?? 0, kept);
    newestPerBucket(newestFirst, isoWeek, keep.weekly ?? 0, kept);
    newestPerBucket(newestFirst, month, keep.monthly ?? 0, kept);
  }
  return newestFirst.filter((b) => !kept.has(b)).reverse();
}
