/** Display formats shared by server and client components. */

const date = new Intl.DateTimeFormat("en", { year: "numeric", month: "short", day: "numeric" });
const dateTime = new Intl.DateTimeFormat("en", { year: "numeric", month: "short", day: "numeric", hour: "2-digit", minute: "2-digit", timeZone: "UTC", timeZoneName: "short" });

export const formatDate = (d: Date | string) => date.format(new Date(d));
export const formatDateTime = (d: Date | string) => dateTime.format(new Date(d));

export function formatBytes(n: bigint | number): string {
  const v = Number(n);
  if (v < 1024) return `${v} B`;
  const units = ["KiB", "MiB", "GiB", "TiB"];
  let x = v / 1024;
  let i = 0;
  while (x >= 1024 && i < units.length - 1) {
    x /= 1024;
    i++;
  }
  return `${x < 10 ? x.toFixed(1) : Math.round(x)} ${units[i]}`;
}

/** `sha256:0123456789ab` — enough to tell digests apart at a glance. */
export const shortDigest = (d: string) => {
  const i = d.indexOf(":");
  return i < 0 ? d.slice(0, 12) : `${d.slice(0, i + 1)}${d.slice(i + 1, i + 13)}`;
};

export function relativeTime(d: Date | string, now = Date.now()): string {
  const s = Math.round((now - new Date(d).getTime()) / 1000);
  if (s < 45) return "just now";
  const m = Math.round(s / 60);
  if (m < 60) return `${m} min ago`;
  const h = Math.round(m / 60);
  if (h < 24) return `${h} h ago`;
  const days = Math.round(h / 24);
  if (days < 30) return `${days} d ago`;
  return formatDate(d);
}

/** A moment as a table cell shows it, formatted once on the server so hydration sees the same words. */
export type TimeText = { iso: string; text: string; title: string };
export const timeText = (d: Date, now = Date.now()): TimeText => ({ iso: d.toISOString(), text: relativeTime(d, now), title: formatDateTime(d) });
