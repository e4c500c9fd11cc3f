import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import zlib from 'node:zlib';
import sharp from 'sharp';
import { createTestContext, signIn, type TestContext } from '../helpers/context.js';

// Uploads (a corpus of malicious files, all rejected or neutralised), security headers with a real CSP,
// CSRF on cookie sessions, rate limits on public POSTs and log-in.

function chunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(zlib.crc32(body) >>> 0);
  return Buffer.concat([len, body, crc]);
}

/** A PNG whose header claims width × height but whose data is tiny: a decompression bomb. */
function pngBomb(width: number, height: number): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 0, 0, 0, 0], 8);
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', zlib.deflateSync(Buffer.alloc(1000))), chunk('IEND', Buffer.alloc(0))]);
}

async function corpus(): Promise<{ name: string; file: string; data: Buffer; expect: 'reject' | 'neutralise' }[]> {
  const jpeg = await sharp({ create: { width: 64, height: 48, channels: 3, background: '#c33' } }).jpeg().toBuffer();
  const png = await sharp({ create: { width: 40, height: 40, channels: 4, background: '#3c3' } }).png().toBuffer();
  const webp = await sharp({ create: { width: 40, height: 40, channels: 3, background: '#33c' } }).webp().toBuffer();
  const exif = await sharp(jpeg).withExif({ IFD0: { Artist: 'Kanarie Exifsson', ImageDescription: '<script>alert(1)</script>' }, IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '57/1 29/1 15/1' } }).jpeg().toBuffer();
  const icc = await sharp(jpeg).withMetadata({ orientation: 6 }).jpeg().toBuffer();
  const html = Buffer.from('<!doctype html><html><body><script>alert(document.cookie)</script></body></html>');
  const svg = Buffer.from('<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(1)</script><rect width="10" height="10"/></svg>');
  const jpegComment = Buffer.concat([jpeg.subarray(0, 2), Buffer.from([0xff, 0xfe, 0x00, 0x22]), Buffer.from('<script>alert(1)</script>       '), jpeg.subarray(2)]);
  const sofBomb = Buffer.from(jpeg);
  for (let i = 2; i < sofBomb.length - 9; i++) if (sofBomb[i] === 0xff && sofBomb[i + 1] === 0xc0) { sofBomb.writeUInt16BE(65000, i + 5); sofBomb.writeUInt16BE(65000, i + 7); break; }
  return [
    { name: 'JPEG+HTML polyglot', file: 'photo.jpg', data: Buffer.concat([jpeg, html]), expect: 'neutralise' },
    { name: 'HTML behind JPEG magic bytes', file: 'photo.jpg', data: Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), html]), expect: 'reject' },
    { name: 'SVG with script', file: 'image.svg', data: svg, expect: 'reject' },
    { name: 'SVG named .jpg', file: 'photo.jpg', data: svg, expect: 'reject' },
    { name: 'HTML named .jpg', file: 'photo.jpg', data: html, expect: 'reject' },
    { name: 'PDF', file: 'photo.pdf', data: Buffer.from('%PDF-1.4\n1 0 obj<</Type/Catalog/OpenAction<</S/JavaScript/JS(app.alert(1))>>>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF'), expect: 'reject' },
    { name: 'ZIP', file: 'photo.jpg', data: Buffer.concat([Buffer.from('PK\x03\x04', 'latin1'), Buffer.alloc(60)]), expect: 'reject' },
    { name: 'gzip', file: 'photo.jpg', data: zlib.gzipSync(Buffer.alloc(1000)), expect: 'reject' },
    { name: 'PNG bomb 100000×100000', file: 'bomb.png', data: pngBomb(100_000, 100_000), expect: 'reject' },
    { name: 'PNG bomb 30000×30000', file: 'bomb.png', data: pngBomb(30_000, 30_000), expect: 'reject' },
    { name: 'PNG bomb 1×2^31', file: 'bomb.png', data: pngBomb(1, 2 ** 31 - 1), expect: 'reject' },
    { name: 'JPEG claiming 65000×65000', file: 'bomb.jpg', data: sofBomb, expect: 'reject' },
    { name: 'truncated JPEG', file: 'photo.jpg', data: jpeg.subarray(0, Math.floor(jpeg.length / 2)), expect: 'reject' },
    { name: 'truncated PNG', file: 'photo.png', data: png.subarray(0, 40), expect: 'reject' },
    { name: 'one byte', file: 'photo.jpg', data: Buffer.from([0xff]), expect: 'reject' },
    { name: 'GIF', file: 'photo.gif', data: Buffer.from('GIF89a\x01\x00\x01\x00\x00\x00\x00;', 'latin1'), expect: 'reject' },
    { name: 'GIF+ZIP (GIFAR)', file: 'photo.gif', data: Buffer.concat([Buffer.from('GIF89a\x01\x00\x01\x00\x00\x00\x00;', 'latin1'), Buffer.from('PK\x03\x04', 'latin1'), Buffer.alloc(40)]), expect: 'reject' },
    { name: 'BMP', file: 'photo.bmp', data: Buffer.concat([Buffer.from('BM', 'latin1'), Buffer.alloc(60)]), expect: 'reject' },
    { name: 'TIFF', file: 'photo.tif', data: await sharp(jpeg).tiff().toBuffer(), expect: 'reject' },
    { name: 'ELF binary', file: 'photo.jpg', data: Buffer.concat([Buffer.from('\x7fELF', 'latin1'), Buffer.alloc(60)]), expect: 'reject' },
    { name: 'Windows EXE', file: 'photo.exe', data: Buffer.concat([Buffer.from('MZ', 'latin1'), Buffer.alloc(120)]), expect: 'reject' },
    { name: 'shell script', file: 'photo.jpg', data: Buffer.from('#!/bin/sh\nrm -rf /\n'), expect: 'reject' },
    { name: 'XML with XXE', file: 'photo.xml', data: Buffer.from('<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>'), expect: 'reject' },
    { name: 'JSON', file: 'photo.json', data: Buffer.from('{"a":1}'), expect: 'reject' },
    { name: 'WebP header with garbage', file: 'photo.webp', data: Buffer.concat([webp.subarray(0, 16), Buffer.alloc(200, 0x41)]), expect: 'reject' },
    { name: 'PNG with garbage after the signature', file: 'photo.png', data: Buffer.concat([png.subarray(0, 8), Buffer.alloc(200, 0x42)]), expect: 'reject' },
    { name: 'EXIF with GPS and script', file: 'photo.jpg', data: exif, expect: 'neutralise' },
    { name: 'JPEG with orientation metadata', file: 'photo.jpg', data: icc, expect: 'neutralise' },
    { name: 'JPEG comment with script', file: 'photo.jpg', data: jpegComment, expect: 'neutralise' },
    { name: 'PNG with PHP appended', file: 'photo.png', data: Buffer.concat([png, Buffer.from('<?php system($_GET["c"]); ?>')]), expect: 'neutralise' },
    { name: 'valid JPEG named .php', file: 'shell.php', data: jpeg, expect: 'neutralise' },
    { name: 'WebP named .html', file: 'page.html', data: webp, expect: 'neutralise' },
    { name: 'over 10 MB', file: 'big.jpg', data: Buffer.concat([jpeg, Buffer.alloc(10 * 1024 * 1024 + 1)]), expect: 'reject' },
  ];
}

function multipart(fields: Record<string, string>, file: { name: string; data: Uint8Array }) {
  const boundary = `----fuzz${Math.random().toString(16).slice(2)}`;
  const parts: Uint8Array[] = Object.entries(fields).map(([k, v]) => Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="photos"; filename="${file.name}"\r\nContent-Type: image/jpeg\r\n\r\n`), file.data, Buffer.from(`\r\n--${boundary}--\r\n`));
  return { payload: Buffer.concat(parts), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

describe('uploads, headers, CSRF and rate limits', () => {
  let t: TestContext;
  before(async () => { t = await createTestContext(); });
  after(() => t.close());

  it('a corpus of ≥ 30 malicious files: every one rejected or neutralised (re-encoded JPEG, no metadata), served with nosniff', async () => {
    const files = await corpus();
    assert.ok(files.length >= 30);
    let rejected = 0;
    let neutralised = 0;
    for (const [i, f] of files.entries()) {
      const body = multipart({ service_code: 'graffiti', description: `Upload ${f.name}`, lat: '57.4875', lon: '12.0761' }, f);
      const res = await t.app.inject({ method: 'POST', url: '/api/public/reports', ...body, headers: { ...body.headers, 'x-forwarded-for': `10.77.0.${i + 1}` } });
      const stored = await t.ctx.db.selectFrom('cases').select(['id', 'media_url']).where('description', '=', `Upload ${f.name}`).executeTakeFirst();
      if (f.expect === 'reject') {
        assert.ok(res.statusCode >= 400 && res.statusCode < 500, `${f.name}: ${res.statusCode} ${res.body.slice(0, 200)}`);
        assert.equal(res.json().error.field?.startsWith('photos'), true, `${f.name} names the field`);
        assert.equal(stored, undefined, `${f.name}: nothing stored`);
        rejected++;
        continue;
      }
      assert.equal(res.statusCode, 201, `${f.name}: ${res.body.slice(0, 200)}`);
      const key = /photos\/([a-f0-9]{32}\.jpg)$/.exec(stored!.media_url ?? '')?.[1];
      assert.ok(key, `${f.name}: stored under a random .jpg name`);
      const photo = await t.app.inject(`/api/public/photos/${key}`);
      assert.equal(photo.headers['content-type'], 'image/jpeg');
      assert.equal(photo.headers['x-content-type-options'], 'nosniff');
      const meta = await sharp(photo.rawPayload).metadata();
      assert.equal(meta.format, 'jpeg');
      assert.equal(meta.exif, undefined, `${f.name}: EXIF dropped`);
      assert.equal(meta.xmp, undefined);
      assert.ok(!/script|php|Kanarie|<html/i.test(photo.rawPayload.toString('latin1')), `${f.name}: no payload survives`);
      neutralised++;
    }
    console.log(`# uploads: ${files.length} malicious files, ${rejected} rejected, ${neutralised} neutralised, 0 stored as sent`);
  });

  it('security headers with a real Content-Security-Policy on pages and API', async () => {
    for (const url of ['/', '/staff/', '/api/public/services']) {
      const res = await t.app.inject({ url, headers: { accept: url.startsWith('/api') ? 'application/json' : 'text/html' } });
      const csp = String(res.headers['content-security-policy']);
      assert.match(csp, /default-src 'self'/);
      assert.match(csp, /script-src 'self'(;|$)/);
      assert.match(csp, /frame-ancestors 'none'/);
      assert.match(csp, /object-src 'none'/);
      assert.equal(res.headers['x-content-type-options'], 'nosniff');
      assert.ok(res.headers['strict-transport-security']);
      assert.ok(res.headers['referrer-policy']);
    }
  });

  it('CSRF: a cookie session cannot change anything without its x-csrf-token', async () => {
    const { cookie } = await signIn(t.app, 'handler@kungsbacka.demo');
    const kase = await t.ctx.db.selectFrom('cases').innerJoin('organisations as o', 'o.id', 'cases.organisation_id').select(['cases.public_id', 'cases.version']).where('o.slug', '=', 'kommun-1384').executeTakeFirstOrThrow();
    for (const token of [undefined, 'wrong-token']) {
      const res = await t.app.inject({ method: 'POST', url: `/api/staff/cases/${kase.public_id}/notes`, headers: { cookie, ...(token ? { 'x-csrf-token': token } : {}) }, payload: { body: 'CSRF', expected_version: kase.version, visibility: 'internal' } });
      assert.equal(res.statusCode, 403);
      assert.equal(res.json().error.code, 'csrf');
    }
    const login = await t.app.inject({ method: 'POST', url: '/api/staff/login', payload: { email: 'handler@kungsbacka.demo', password: 'ingang-demo' } });
    const setCookie = String(login.headers['set-cookie']);
    assert.match(setCookie, /HttpOnly/i);
    assert.match(setCookie, /SameSite=(Lax|Strict)/i);
  });

  it('rate limits: public POSTs per address and log-in', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 65; i++) {
      statuses.push((await t.app.inject({ method: 'POST', url: '/api/public/reports', headers: { 'x-forwarded-for': '10.88.0.1' }, payload: { service_code: 'nope' } })).statusCode);
    }
    assert.ok(statuses.includes(429), 'public report POSTs are limited');
    const other = await t.app.inject({ method: 'POST', url: '/api/public/reports', headers: { 'x-forwarded-for': '10.88.0.2' }, payload: { service_code: 'nope' } });
    assert.equal(other.statusCode, 400, 'per address');
    const logins: number[] = [];
    for (let i = 0; i < 35; i++) {
      logins.push((await t.app.inject({ method: 'POST', url: '/api/staff/login', headers: { 'x-forwarded-for': '10.88.0.3' }, payload: { email: `nobody${i}@example.org`, password: 'wrong-password' } })).statusCode);
    }
    assert.ok(logins.includes(429), 'log-in is limited');
  });
});
