import { test } from 'node:test';
import assert from 'node:assert/strict';
import { w3cTime, w3cTimeOfSeconds } from './format.js';

// w3cTime caches Swedish time's offset per UTC hour; these compare it with asking ICU every time.
const icu = new Intl.DateTimeFormat('en', { timeZone: 'Europe/Stockholm', timeZoneName: 'longOffset' });

function direct(date: Date): string {
  const zone = icu.formatToParts(date).find((p) => p.type === 'timeZoneName')?.value ?? 'GMT';
  const match = /GMT([+-])(\d{2}):(\d{2})/.exec(zone);
  const minutes = match ? (match[1] === '-' ? -1 : 1) * (Number(match[2]) * 60 + Number(match[3])) : 0;
  const local = new Date(Math.floor(date.getTime() / 1000) * 1000 + minutes * 60_000);
  return local.toISOString().replace(/\.\d{3}Z$/, match ? `${match[1]}${match[2]}:${match[3]}` : 'Z');
}

test('w3cTime writes Swedish local time with its offset, in winter and summer', () => {
  assert.equal(w3cTime(new Date('2026-11-23T08:05:00.999Z')), '2026-11-23T09:05:00+01:00');
  assert.equal(w3cTime(new Date('2026-07-01T22:30:00Z')), '2026-07-02T00:30:00+02:00');
  assert.equal(w3cTime(null), null);
  assert.equal(w3cTimeOfSeconds(null), null);
});

test('w3cTime equals ICU around every change of offset from 1870 to 2100, and at random times', () => {
  const changes: number[] = [];
  for (let hour = Date.UTC(1870, 0, 1) / 3_600_000; hour < Date.UTC(2100, 0, 1) / 3_600_000; hour += 6) {
    if (direct(new Date(hour * 3_600_000)).slice(-6) !== direct(new Date((hour + 6) * 3_600_000)).slice(-6)) changes.push(hour * 3_600_000);
  }
  assert.ok(changes.length > 200, `${changes.length} changes of offset found`);
  for (const start of changes) {
    for (let ms = start - 3_600_000; ms <= start + 7 * 3_600_000; ms += 59_999) {
      const date = new Date(ms);
      assert.equal(w3cTime(date), direct(date), date.toISOString());
    }
  }
  for (let i = 0; i < 20_000; i++) {
    const date = new Date(Date.UTC(1900, 0, 1) + Math.floor(Math.random() * 200 * 365.25 * 86_400_000));
    assert.equal(w3cTime(date), direct(date), date.toISOString());
    assert.equal(w3cTimeOfSeconds(date.getTime() / 1000 + 0.000_25), direct(date), `${date.toISOString()} in seconds`);
  }
});
