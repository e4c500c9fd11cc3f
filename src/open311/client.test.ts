import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { SAMPLES } from '../../test/open311/helpers.js';
import { parseErrors, parseRequests, parseServices, parseUpdates, type Open311Request } from './client.js';

const read = (rel: string) => fs.readFileSync(path.join(SAMPLES, rel), 'utf8');

/** Every parsed request has the same typed shape, whatever the dialect. */
function assertModel(requests: Open311Request[]) {
  for (const r of requests) {
    assert.equal(typeof r.service_request_id, 'string');
    assert.ok(r.service_request_id.length > 0);
    assert.ok(r.status === 'open' || r.status === 'closed');
    assert.ok(r.requested_datetime === null || (r.requested_datetime instanceof Date && !Number.isNaN(r.requested_datetime.getTime())));
    assert.ok(r.lat === null || typeof r.lat === 'number');
    assert.ok(r.long === null || typeof r.long === 'number');
    assert.ok(Array.isArray(r.media_urls) && Array.isArray(r.notes));
  }
}

test('San Francisco XML: namespaced root, "Open"/"Closed", zone-less times, (0,0) for unknown places', () => {
  const requests = parseRequests(read('bensheldon-open311status/test/mocks/san_francisco_requests.xml'), { assumeTimeZone: 'America/Los_Angeles' });
  assert.equal(requests.length, 56);
  assertModel(requests);
  assert.equal(requests.filter((r) => r.status === 'closed').length, 4);
  assert.equal(requests[0].service_request_id, '1129806');
  assert.equal(requests[0].requested_datetime?.toISOString(), '2012-05-23T06:57:23.970Z', 'PDT is UTC−7');
  assert.equal(requests[0].updated_datetime, null, 'xsi:nil is missing');
  assert.ok(requests.filter((r) => r.lat === null).length >= 9);
  const services = parseServices(read('bensheldon-open311status/test/mocks/san_francisco_services.xml'));
  assert.equal(services.length, 38);
  assert.equal(services[0].service_code, '001');
  assert.equal(services[0].group, 'Litter Receptacles');
});

test('Toronto XML with empty elements', () => {
  const requests = parseRequests(read('bensheldon-open311status/spec/fixtures/files/requests_many.xml'));
  assert.equal(requests.length, 2);
  assertModel(requests);
  assert.equal(requests[0].description, null);
  assert.equal(requests[0].agency_responsible, '311 Toronto');
  assert.equal(requests[0].requested_datetime?.toISOString(), '2018-07-30T04:01:00.000Z');
  assert.equal(requests[0].lat, 43.691104288);
  assert.equal(parseRequests(read('bensheldon-open311status/spec/fixtures/files/requests_single.xml')).length, 1);
});

test('Bloomington and Chicago JSON (bare arrays)', () => {
  const bloomington = parseRequests(read('bensheldon-open311status/test/mocks/bloomington_requests.json'));
  assert.equal(bloomington.length, 21);
  assertModel(bloomington);
  assert.equal(bloomington[0].media_url, null, 'an empty string is missing');
  assert.equal(bloomington[0].lat, null);
  const services = parseServices(read('bensheldon-open311status/test/mocks/bloomington_services.json'));
  assert.equal(services.length, 46);
  assert.equal(services[1].metadata, true);
  const chicago = parseRequests(read('bensheldon-open311status/spec/fixtures/service_requests.json'));
  assert.equal(chicago.length, 2);
  assertModel(chicago);
  assert.equal(chicago[1].status_notes, 'Locked');
  assert.equal(chicago[0].updated_datetime?.toISOString(), '2014-07-12T16:08:21.000Z');
});

test('Cologne Mark-a-Spot JSON: address_string, status_note and title map onto the same fields', () => {
  const archive = parseRequests(read('jslth-r311/man/figures/README/0/sags-uns-archiv.stadt-koeln.de/georeport/v2/requests.json-736bb5.json'));
  assert.equal(archive.length, 50);
  assertModel(archive);
  assert.equal(archive[0].address, 'Rondorfer Str. 5, 50968 Köln - Marienburg');
  const current = parseRequests(read('jslth-r311/vignettes/README/0/sags-uns.stadt-koeln.de/georeport/v2/requests.json.json'));
  assert.equal(current.length, 100);
  assertModel(current);
  assert.equal(current[0].address, '50931 Köln - Lindenthal, Aachener Str. 75');
  assert.equal(current[0].status_notes, 'Das Anliegen wurde erstellt.');
  assert.equal(current[0].title, '#862-2023 Gully verstopft');
  assert.equal(current[0].status, 'closed');
  const wrapped = parseRequests(JSON.stringify({ requests: JSON.parse(read('jslth-r311/vignettes/README/0/sags-uns.stadt-koeln.de/georeport/v2/requests.json.json')).slice(0, 3), meta: { total: 3 } }));
  assert.equal(wrapped.length, 3, 'Mark-a-Spot with extensions wraps the list in {requests, meta}');
});

test('FixMyStreet shapes: wrapped JSON, update feeds, errors', () => {
  assert.equal(parseRequests(JSON.stringify({ service_requests: [{ service_request_id: 7, status: 'open' }] }))[0].service_request_id, '7');
  const updates = parseUpdates('<?xml version="1.0"?><service_request_updates><request_update><update_id>1</update_id><service_request_id>9</service_request_id>' +
    '<status>IN_PROGRESS</status><updated_datetime>2026-11-23T10:00:00+01:00</updated_datetime><description>På gång</description></request_update></service_request_updates>');
  assert.deepEqual(updates[0], { update_id: '1', service_request_id: '9', status: 'in_progress', updated_datetime: new Date('2026-11-23T09:00:00Z'), description: 'På gång', media_url: null, external_status_code: null });
  assert.deepEqual(parseErrors('<errors><error><code>403</code><description>api_key: wrong</description></error></errors>'), [{ code: 403, description: 'api_key: wrong' }]);
  assert.deepEqual(parseErrors('[{"code":400,"description":"lat: bad"}]'), [{ code: 400, description: 'lat: bad' }]);
});
