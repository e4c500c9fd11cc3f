import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import type { AddressInfo } from 'node:net';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { createTestContext, type TestContext } from '../helpers/context.js';
import { deliverDue } from '../../src/outbox/service.js';
import { startSmtp } from './smtp.js';
import { expectNoAxeViolations, launchChromium, shot, tabTo } from './browser-helpers.js';

const PHONE = { width: 375, height: 800 };
const DESKTOP = { width: 1280, height: 900 };
const HOME = { latitude: 57.4875, longitude: 12.0761 };

describe('citizen pages in Chromium', () => {
  let t: TestContext;
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  let browser: Browser;
  let base: string;
  let dataDir: string;
  let receiptNumber = '';
  let followPath = '';

  before(async () => {
    smtp = await startSmtp();
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ingang-citizen-b-'));
    t = await createTestContext({ smtpUrl: smtp.url, dataDir });
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await t?.close();
    await smtp?.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  async function open(url: string, opts: { viewport?: { width: number; height: number }; locale?: 'sv' | 'en'; geo?: boolean } = {}): Promise<{ page: Page; context: BrowserContext }> {
    const context = await browser.newContext({
      viewport: opts.viewport ?? DESKTOP,
      ...(opts.geo ? { geolocation: HOME, permissions: ['geolocation'] } : {}),
    });
    const page = await context.newPage();
    page.on('pageerror', (e) => assert.fail(`page error: ${e.message}`));
    await page.goto(`${base}${url}${opts.locale === 'en' ? (url.includes('?') ? '&' : '?') + 'lang=en' : ''}`);
    await page.waitForSelector('#page-title');
    return { page, context };
  }

  async function photoFile(): Promise<string> {
    const file = path.join(dataDir, 'lamp.jpg');
    fs.writeFileSync(file, await sharp({ create: { width: 3000, height: 2000, channels: 3, background: { r: 30, g: 60, b: 90 } } })
      .jpeg().withExif({ IFD0: { Make: 'CanaryCamMaker' } }).toBuffer());
    return file;
  }

  it('reports with the map, my location and a photo; tells who and when', async () => {
    const { page, context } = await open('/k/kungsbacka', { geo: true });
    await page.waitForSelector('#report-map.leaflet-container');
    await page.getByRole('button', { name: 'Använd min position' }).click();
    await page.waitForSelector('.chosen:has-text("Nålen är satt")');
    const box = (await page.locator('#report-map').boundingBox())!;
    await page.mouse.click(box.x + box.width / 2 + 30, box.y + box.height / 2 + 10);
    await page.fill('#category-search', 'lampa');
    await page.getByLabel('Gatubelysning').check();
    await page.locator('#attr-is_dark').getByLabel('Ja').check();
    await page.fill('#description', 'Tre lampor i rad är släckta vid cykelvägen.');
    await page.setInputFiles('#photos', await photoFile());
    await page.waitForSelector('.thumbs img');
    await page.fill('#email', 'browser.reporter@example.org');
    await shot(page, 'report-filled-desktop');
    await expectNoAxeViolations(page, 'report form (sv)');
    await page.click('#send');
    await page.waitForSelector('#receipt-number');
    receiptNumber = (await page.textContent('#receipt-number'))!;
    assert.match(receiptNumber, /^KGS-\d{4}-\d{5}$/);
    const receipt = (await page.textContent('.receipt'))!;
    assert.ok(receipt.includes('Kungsbacka kommun'), receipt);
    assert.ok(receipt.includes('Beräknas vara åtgärdat'));
    followPath = new URL((await page.getAttribute('#follow-link', 'href'))!, base).pathname;
    await expectNoAxeViolations(page, 'receipt (sv)');
    await shot(page, 'receipt-desktop');
    const kase = await t.ctx.db.selectFrom('cases').select(['id', 'lat']).where('public_id', '=', receiptNumber).executeTakeFirstOrThrow();
    assert.ok(kase.lat !== null && Math.abs(kase.lat - HOME.latitude) < 0.01, 'pinned near my location');
    const photos = await t.ctx.db.selectFrom('attachments').select(['width', 'height']).where('case_id', '=', kase.id).execute();
    assert.equal(photos.length, 1);
    assert.ok(photos[0].width! <= 1600);
    await deliverDue(t.ctx);
    assert.ok(smtp.mails.some((m) => m.to.includes('browser.reporter@example.org') && m.text.includes(receiptNumber)), 'receipt e-mail received');
    await context.close();
  });

  it('reports by keyboard and address alone on a phone; errors are announced and tied to fields', async () => {
    const { page, context } = await open('/', { viewport: PHONE });
    await tabTo(page, '#send');
    await page.keyboard.press('Enter');
    await page.waitForSelector('#error-summary');
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'error-summary');
    assert.equal(await page.getAttribute('#error-summary', 'role'), 'alert');
    assert.match((await page.getAttribute('#address', 'aria-describedby'))!, /address-error/);
    assert.equal(await page.getAttribute('#address', 'aria-invalid'), 'true');
    await expectNoAxeViolations(page, 'form with errors (sv)');
    await shot(page, 'errors-phone');
    await tabTo(page, '#address');
    await page.keyboard.type('Storgatan 1, 434 30 Kungsbacka');
    await page.keyboard.press('Enter');
    await page.waitForSelector('.chosen:has-text("434 30")');
    await tabTo(page, '#category-search');
    await page.keyboard.type('klotter');
    await tabTo(page, 'input[value=graffiti]');
    await page.keyboard.press('Space');
    await tabTo(page, '#description');
    await page.keyboard.type('Klotter på elskåpet');
    await tabTo(page, '#send');
    await page.keyboard.press('Enter');
    await page.waitForSelector('#receipt-number');
    const n = (await page.textContent('#receipt-number'))!;
    const kase = await t.ctx.db.selectFrom('cases').select(['postal_code', 'lat', 'municipality_code']).where('public_id', '=', n).executeTakeFirstOrThrow();
    assert.deepEqual(kase, { postal_code: '43430', lat: null, municipality_code: '1384' });
    await shot(page, 'receipt-phone');
    await context.close();
  });

  it('makes one case of a double click on send', async () => {
    const { page, context } = await open('/k/1384');
    await page.fill('#address', '434 30');
    await page.getByLabel('Klotter').check();
    await page.fill('#description', 'Dubbelklick i webbläsaren');
    await page.dblclick('#send');
    await page.waitForSelector('#receipt-number');
    const n = await t.ctx.db.selectFrom('cases').select(t.ctx.db.fn.countAll<number>().as('n')).where('description', '=', 'Dubbelklick i webbläsaren').executeTakeFirstOrThrow();
    assert.equal(Number(n.n), 1);
    await context.close();
  });

  it('suggests an open case of the same kind nearby and offers to follow it instead', async () => {
    const existing = await t.ctx.cases.createCase({ service_code: 'pothole', channel: 'web', description: 'Stort hål i asfalten',
      location: { lat: HOME.latitude + 0.0003, lon: HOME.longitude } });
    const { page, context } = await open('/k/kungsbacka', { geo: true, viewport: PHONE });
    await page.getByRole('button', { name: 'Använd min position' }).click();
    await page.waitForSelector('.chosen:has-text("Nålen är satt")');
    await page.getByLabel('Potthål / skadad vägbana').check();
    await page.waitForSelector('#similar-title');
    assert.ok((await page.textContent('.similar'))!.includes(existing.case.public_id));
    await expectNoAxeViolations(page, 'duplicate suggestion (sv)');
    await shot(page, 'similar-phone');
    await page.click('.follow-instead');
    await page.waitForSelector(`h1:has-text("${existing.case.public_id}")`);
    await page.waitForFunction(() => document.activeElement?.id === 'subscribe-email');
    await context.close();
  });

  it('opens the private follow link, reopens a fixed case ("not fixed?") and subscribes; the e-mail link unsubscribes', async () => {
    const kase = await t.ctx.db.selectFrom('cases').select('id').where('public_id', '=', receiptNumber).executeTakeFirstOrThrow();
    await t.ctx.cases.changeStatus(kase.id, 'fixed', { publicNote: 'Lamporna är bytta.' });
    const { page, context } = await open(followPath);
    assert.ok((await page.textContent('main'))!.includes('din personliga länk'));
    assert.ok((await page.textContent('#case-status'))!.includes('Åtgärdat'));
    await expectNoAxeViolations(page, 'follow page (sv)');
    await page.goto(`${base}/arende/${receiptNumber}`);
    await page.waitForSelector('#reopen-comment');
    await page.click('#reopen-title ~ form button[type=submit]');
    await page.waitForSelector('#reopen-comment-error');
    await page.fill('#reopen-comment', 'Två av lamporna är fortfarande släckta.');
    await page.click('#reopen-title ~ form button[type=submit]');
    await page.waitForSelector('#case-status:has-text("Återöppnat")');
    assert.ok((await page.textContent('.timeline'))!.includes('Två av lamporna är fortfarande släckta.'));
    await page.fill('#subscribe-email', 'neighbour@example.org');
    await page.getByRole('button', { name: 'Följ ärendet' }).click();
    await page.waitForSelector('text=Meddelanden skickas till neighbour@example.org');
    await expectNoAxeViolations(page, 'case page (sv)');
    await shot(page, 'case-desktop');
    await deliverDue(t.ctx);
    const mail = smtp.mails.find((m) => m.to.includes('neighbour@example.org'));
    assert.ok(mail, 'subscription e-mail received');
    const link = /(http:\/\/ingang\.test)?(\/avsluta\/[A-Za-z0-9_-]+)/.exec(mail.text)![2];
    await page.goto(`${base}${link}`);
    await page.waitForSelector('#unsubscribed');
    assert.ok((await page.textContent('#unsubscribed'))!.includes(receiptNumber));
    await expectNoAxeViolations(page, 'unsubscribe (sv)');
    const row = await t.ctx.db.selectFrom('case_followers').select('unsubscribed_at').where('email', '=', 'neighbour@example.org').executeTakeFirstOrThrow();
    assert.ok(row.unsubscribed_at);
    await context.close();
  });

  it('has no axe violations on every page in both languages, at phone and desktop width', async () => {
    const pages = ['/', '/k/kungsbacka', '/k/1384/arenden', `/arende/${receiptNumber}`, followPath];
    for (const locale of ['sv', 'en'] as const) {
      for (const viewport of [PHONE, DESKTOP]) {
        for (const url of pages) {
          const { page, context } = await open(url, { locale, viewport });
          await page.waitForLoadState('networkidle');
          assert.equal(await page.getAttribute('html', 'lang'), locale);
          await expectNoAxeViolations(page, `${url} (${locale}, ${viewport.width} px)`);
          const name = `${url.split('/').filter(Boolean).slice(0, 2).join('-').replace(/[^a-z0-9-]/gi, '') || 'start'}-${locale}-${viewport.width}`;
          if (!url.startsWith('/f/')) await shot(page, name);
          await context.close();
        }
      }
    }
  });

  it('switches language with the button and lists cases with filters', async () => {
    const { page, context } = await open('/k/1384/arenden');
    await page.getByRole('button', { name: 'In English' }).click();
    await page.waitForSelector('h1:has-text("Reported problems in Kungsbacka")');
    await page.selectOption('#filter-status', 'all');
    await page.selectOption('#filter-service', 'graffiti');
    await page.waitForFunction(() => location.search.includes('service=graffiti'));
    // The list of the earlier filter stays until the filtered one has come: wait for the new one, not any list.
    await page.waitForFunction(() => {
      const shown = Array.from(document.querySelectorAll('.case-list li'), (li) => li.textContent ?? '');
      return shown.length > 0 && shown.every((x) => x.includes('Graffiti'));
    }).catch(() => {});
    const items = await page.locator('.case-list li').allTextContents();
    assert.ok(items.length > 0 && items.every((x) => x.includes('Graffiti')), items.join('\n'));
    await page.waitForSelector('#main .leaflet-container');
    await context.close();
  });
});
