import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { computeDueAt, isWorkingDay, slaState, swedishNonWorkingDays } from './sla.js';

// Instants are written in UTC; the comments give Stockholm local time (CET = UTC+1, CEST = UTC+2).
const at = (iso: string): Date => new Date(iso);

describe('swedishNonWorkingDays', () => {
  const easterDays: Record<number, string[]> = {
    // långfredagen, påskdagen, annandag påsk, Kristi himmelsfärd, pingstdagen
    2024: ['2024-03-29', '2024-03-31', '2024-04-01', '2024-05-09', '2024-05-19'],
    2025: ['2025-04-18', '2025-04-20', '2025-04-21', '2025-05-29', '2025-06-08'],
    2026: ['2026-04-03', '2026-04-05', '2026-04-06', '2026-05-14', '2026-05-24'],
    2027: ['2027-03-26', '2027-03-28', '2027-03-29', '2027-05-06', '2027-05-16'],
  };
  for (const [year, dates] of Object.entries(easterDays)) {
    it(`has the Easter-based holidays of ${year}`, () => {
      const set = swedishNonWorkingDays(Number(year));
      for (const d of dates) assert.ok(set.has(d), `${d} missing`);
    });
  }

  it('places midsummer and All Saints on the right weekdays', () => {
    const expected: Record<number, [string, string, string]> = {
      2024: ['2024-06-21', '2024-06-22', '2024-11-02'],
      2025: ['2025-06-20', '2025-06-21', '2025-11-01'],
      2026: ['2026-06-19', '2026-06-20', '2026-10-31'],
      2027: ['2027-06-25', '2027-06-26', '2027-11-06'],
    };
    for (const [year, dates] of Object.entries(expected)) {
      const set = swedishNonWorkingDays(Number(year));
      for (const d of dates) assert.ok(set.has(d), `${d} missing`);
    }
  });

  it('lists exactly the sixteen days of 2026', () => {
    assert.deepEqual([...swedishNonWorkingDays(2026)].sort(), [
      '2026-01-01', '2026-01-06', '2026-04-03', '2026-04-05', '2026-04-06', '2026-05-01', '2026-05-14',
      '2026-05-24', '2026-06-06', '2026-06-19', '2026-06-20', '2026-10-31', '2026-12-24', '2026-12-25',
      '2026-12-26', '2026-12-31',
    ]);
  });

  it('hands out copies, so callers cannot corrupt the calendar', () => {
    swedishNonWorkingDays(2026).add('2026-03-10');
    assert.equal(swedishNonWorkingDays(2026).has('2026-03-10'), false);
    assert.equal(isWorkingDay('2026-03-10'), true);
  });

  it('rejects years outside the Gregorian calendar', () => {
    assert.throws(() => swedishNonWorkingDays(1500), RangeError);
    assert.throws(() => swedishNonWorkingDays(2026.5), RangeError);
  });
});

describe('isWorkingDay', () => {
  it('knows weekdays, weekends and holidays', () => {
    assert.equal(isWorkingDay('2026-06-18'), true); // Thursday before midsummer
    assert.equal(isWorkingDay('2026-06-19'), false); // midsommarafton
    assert.equal(isWorkingDay('2026-03-14'), false); // Saturday
    assert.equal(isWorkingDay('2026-03-15'), false); // Sunday
    assert.equal(isWorkingDay('2027-01-06'), false); // trettondedag jul, a Wednesday
    assert.equal(isWorkingDay('2025-06-06'), false); // nationaldagen, a Friday
  });

  it('rejects malformed and impossible dates', () => {
    assert.throws(() => isWorkingDay('2026-3-1'), RangeError);
    assert.throws(() => isWorkingDay('2026-02-30'), RangeError);
  });
});

describe('computeDueAt – working days', () => {
  const wd = (amount: number) => ({ amount, unit: 'working_days' as const });

  it('skips a weekend, keeping the local time of day', () => {
    // Thu 12 March 10:00 CET + 3 → Tue 17 March 10:00 CET
    assert.equal(computeDueAt(at('2026-03-12T09:00:00Z'), wd(3)).toISOString(), '2026-03-17T09:00:00.000Z');
  });

  it('skips Easter', () => {
    // Thu 2 April 14:00 CEST + 2 → Good Friday, weekend and Easter Monday skipped → Wed 8 April 14:00
    assert.equal(computeDueAt(at('2026-04-02T12:00:00Z'), wd(2)).toISOString(), '2026-04-08T12:00:00.000Z');
  });

  it('skips Christmas', () => {
    // Tue 22 Dec 09:00 CET + 3 → 23 Dec, 28 Dec, 29 Dec
    assert.equal(computeDueAt(at('2026-12-22T08:00:00Z'), wd(3)).toISOString(), '2026-12-29T08:00:00.000Z');
  });

  it('skips New Year and Epiphany', () => {
    // Wed 30 Dec 2026 11:00 CET + 3 → Mon 4 Jan, Tue 5 Jan, (Wed 6 Jan holiday), Thu 7 Jan 2027
    assert.equal(computeDueAt(at('2026-12-30T10:00:00Z'), wd(3)).toISOString(), '2027-01-07T10:00:00.000Z');
  });

  it('keeps the wall-clock time across the change to summer time', () => {
    // Fri 27 March 10:00 CET + 1 → Mon 30 March 10:00 CEST
    assert.equal(computeDueAt(at('2026-03-27T09:00:00Z'), wd(1)).toISOString(), '2026-03-30T08:00:00.000Z');
  });

  it('starts a weekend case at 08:00 on the next working day', () => {
    // Sat 14 March 15:00 CET → counted from Mon 16 March 08:00 → Tue 17 March 08:00 CET
    assert.equal(computeDueAt(at('2026-03-14T14:00:00Z'), wd(1)).toISOString(), '2026-03-17T07:00:00.000Z');
    // Good Friday → counted from Tue 7 April 08:00 → Wed 8 April 08:00 CEST
    assert.equal(computeDueAt(at('2026-04-03T10:00:00Z'), wd(1)).toISOString(), '2026-04-08T06:00:00.000Z');
  });

  it('uses the Stockholm date, not the UTC date', () => {
    // Fri 13 March 23:30 UTC is already Saturday 00:30 in Stockholm → counted from Monday 08:00
    assert.equal(computeDueAt(at('2026-03-13T23:30:00Z'), wd(1)).toISOString(), '2026-03-17T07:00:00.000Z');
  });

  it('returns the start itself for zero working days on a working day', () => {
    assert.equal(computeDueAt(at('2026-03-12T09:00:00Z'), wd(0)).toISOString(), '2026-03-12T09:00:00.000Z');
  });
});

describe('computeDueAt – hours and days', () => {
  it('counts hours as elapsed time across the spring DST change', () => {
    // Sun 29 March 00:30 CET + 3 h → 04:30 CEST (the clocks skipped 02:00–03:00)
    const due = computeDueAt(at('2026-03-28T23:30:00Z'), { amount: 3, unit: 'hours' });
    assert.equal(due.toISOString(), '2026-03-29T02:30:00.000Z');
  });

  it('counts hours as elapsed time across the autumn DST change', () => {
    // Sun 25 Oct 01:30 CEST + 2 h → 02:30 CET (the clocks repeated 02:00–03:00)
    const due = computeDueAt(at('2026-10-24T23:30:00Z'), { amount: 2, unit: 'hours' });
    assert.equal(due.toISOString(), '2026-10-25T01:30:00.000Z');
  });

  it('counts calendar days on the wall clock', () => {
    // Fri 20 March 12:00 CET + 30 days → Sun 19 April 12:00 CEST
    const due = computeDueAt(at('2026-03-20T11:00:00Z'), { amount: 30, unit: 'days' });
    assert.equal(due.toISOString(), '2026-04-19T10:00:00.000Z');
  });

  it('moves a day-based deadline out of the skipped hour', () => {
    // Sat 28 March 02:30 CET + 1 day → 02:30 does not exist on 29 March → 03:30 CEST
    const due = computeDueAt(at('2026-03-28T01:30:00Z'), { amount: 1, unit: 'days' });
    assert.equal(due.toISOString(), '2026-03-29T01:30:00.000Z');
  });

  it('rejects negative amounts and invalid dates', () => {
    assert.throws(() => computeDueAt(at('2026-03-12T09:00:00Z'), { amount: -1, unit: 'hours' }), RangeError);
    assert.throws(() => computeDueAt(new Date(Number.NaN), { amount: 1, unit: 'days' }), RangeError);
  });
});

describe('slaState', () => {
  const requested = at('2026-03-12T08:00:00Z');
  const due = at('2026-03-12T12:00:00Z'); // four hours allowed

  it('is none without a deadline', () => {
    assert.equal(slaState(requested, null, null, at('2026-04-01T00:00:00Z')), 'none');
    assert.equal(slaState(requested, null, at('2026-03-12T09:00:00Z'), at('2026-04-01T00:00:00Z')), 'none');
  });

  it('is ok before 75 % of the time has passed and at risk from then on', () => {
    assert.equal(slaState(requested, due, null, at('2026-03-12T10:59:00Z')), 'ok');
    assert.equal(slaState(requested, due, null, at('2026-03-12T11:00:00Z')), 'at_risk');
    assert.equal(slaState(requested, due, null, at('2026-03-12T12:00:00Z')), 'at_risk');
  });

  it('accepts another at-risk threshold', () => {
    assert.equal(slaState(requested, due, null, at('2026-03-12T10:00:00Z'), 0.5), 'at_risk');
  });

  it('is breached once the deadline has passed on an open case', () => {
    assert.equal(slaState(requested, due, null, at('2026-03-12T12:00:01Z')), 'breached');
  });

  it('judges closed cases by when they were closed', () => {
    const later = at('2026-04-01T00:00:00Z');
    assert.equal(slaState(requested, due, at('2026-03-12T11:59:00Z'), later), 'met');
    assert.equal(slaState(requested, due, at('2026-03-12T12:00:00Z'), later), 'met');
    assert.equal(slaState(requested, due, at('2026-03-12T13:00:00Z'), later), 'breached');
  });
});
