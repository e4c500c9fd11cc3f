import type { ServiceWithGroup } from '../catalogue/repo.js';
import { dueAtFor } from '../cases/service.js';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
const STOCKHOLM_OFFSET = new Intl.DateTimeFormat('en', { timeZone: 'Europe/Stockholm', timeZoneName: 'shortOffset' });

/** How a due time behaves over one Swedish calendar day, learnt from exact samples. */
type Shape =
  | { kind: 'unknown'; at: number; due: number }
  | { kind: 'fixed'; due: number }
  | { kind: 'moves'; at: number; due: number }
  | { kind: 'exact' };

function offsetName(ms: number): string {
  return STOCKHOLM_OFFSET.formatToParts(new Date(ms)).find((p) => p.type === 'timeZoneName')!.value;
}

/** True when Stockholm changes its clocks during the given Swedish date ('YYYY-MM-DD'). */
function clockChanges(day: string): boolean {
  const midnight = Date.parse(`${day}T00:00:00Z`);
  // From the earliest possible start of the local day (UTC+2) to its latest possible end (UTC+1).
  return offsetName(midnight - 2 * HOUR_MS) !== offsetName(midnight + DAY_MS - HOUR_MS);
}

/**
 * SLA due times of many cases, computed with `dueAtFor` (the case service's rule) but not once per case.
 * Within one Swedish calendar day a deadline counted in days or working days is either fixed (the case came in on
 * a non-working day, so the clock starts at 08:00 on the next working day) or moves with the start (the same wall
 * time N days on). Two exact samples per service and day tell which; on a day when Stockholm changes its clocks
 * — on the start day or the due day — and whenever the samples fit neither shape, every case is computed exactly.
 * Deadlines in hours are elapsed time and cheap, so they are always computed exactly.
 */
export class DueTimes {
  private shapes = new Map<number, Map<string, Shape>>();
  private clockDays = new Map<string, boolean>();

  /** `dayOf` gives the Swedish date ('YYYY-MM-DD') of an instant (the preparer's cached one). */
  constructor(private readonly dayOf: (at: Date) => string) {}

  private changes(day: string): boolean {
    let changes = this.clockDays.get(day);
    if (changes === undefined) this.clockDays.set(day, (changes = clockChanges(day)));
    return changes;
  }

  /** The due time of a case of this service (at its default priority) that came in at `at`, or null. */
  dueAt(service: ServiceWithGroup, at: Date): Date | null {
    const tier = service.sla_tiers[String(service.default_priority) as '1' | '2' | '3'];
    if (!tier || tier.unit === 'hours') return dueAtFor(service.sla_tiers, service.default_priority, at);
    const day = this.dayOf(at);
    let byDay = this.shapes.get(service.id);
    if (!byDay) this.shapes.set(service.id, (byDay = new Map()));
    const shape = byDay.get(day);
    const t = at.getTime();
    if (!shape) {
      const due = dueAtFor(service.sla_tiers, service.default_priority, at)!;
      const exact = this.changes(day) || this.changes(this.dayOf(due));
      byDay.set(day, exact ? { kind: 'exact' } : { kind: 'unknown', at: t, due: due.getTime() });
      return due;
    }
    switch (shape.kind) {
      case 'fixed':
        return new Date(shape.due);
      case 'moves':
        return new Date(shape.due + t - shape.at);
      case 'exact':
        return dueAtFor(service.sla_tiers, service.default_priority, at);
      case 'unknown': {
        if (t === shape.at) return new Date(shape.due);
        const due = dueAtFor(service.sla_tiers, service.default_priority, at)!;
        const d = due.getTime();
        const moves = d - shape.due === t - shape.at;
        byDay.set(day, d === shape.due ? { kind: 'fixed', due: d } : moves ? { kind: 'moves', at: shape.at, due: shape.due } : { kind: 'exact' });
        return due;
      }
    }
  }
}
