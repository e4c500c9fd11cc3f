// The whole story in a real browser: an agent in Arboga registers a phone call about a full bin → it is
// routed to the joint waste committee hosted by Köping → a handler there assigns it to a contractor → the
// contractor reports done with a photo on a phone-sized screen → the handler closes it → the public case
// shows it closed. Every page is screenshotted (test-results/) and checked with axe-core.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import sharp from 'sharp';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { createTestContext, type TestContext } from '../helpers/context.js';
import { launchBrowser, screenshot, seriousViolations } from './browser.js';

let t: TestContext;
let browser: Browser;
let base: string;
let caseNumber = '';

async function signedIn(email: string, viewport = { width: 1366, height: 900 }): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport, locale: 'sv-SE' });
  const page = await context.newPage();
  page.on('pageerror', (e) => console.error(`page error (${email}):`, e.message));
  await page.goto(`${base}/staff/`);
  await page.getByLabel('E-postadress').fill(email);
  await page.getByLabel('Lösenord').fill('ingang-demo');
  await page.getByRole('button', { name: 'Logga in' }).click();
  await page.getByRole('navigation', { name: 'Huvudmeny' }).waitFor();
  return { context, page };
}

async function checkPage(page: Page, name: string): Promise<void> {
  await screenshot(page, name);
  assert.deepEqual(await seriousViolations(page), [], `axe on ${name}`);
}

describe('staff app: the whole story in Chromium', { timeout: 180_000 }, () => {
  before(async () => {
    t = await createTestContext();
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await t?.close();
  });

  test('the log-in page is accessible and refuses a wrong password', async () => {
    const context = await browser.newContext({ viewport: { width: 1366, height: 900 } });
    const page = await context.newPage();
    await page.goto(`${base}/staff/cases`);
    await page.getByLabel('E-postadress').waitFor();
    await checkPage(page, 'staff-01-login');
    await page.getByLabel('E-postadress').fill('agent@arboga.demo');
    await page.getByLabel('Lösenord').fill('wrong');
    await page.getByRole('button', { name: 'Logga in' }).click();
    await page.getByRole('alert').getByText('Fel e-postadress eller lösenord').waitFor();
    await context.close();
  });

  test('an agent in Arboga registers a phone call about a full bin; it goes to the joint waste committee', async () => {
    const { context, page } = await signedIn('agent@arboga.demo');
    await page.getByRole('heading', { name: 'Registrera ärende' }).waitFor();
    assert.equal(await page.getByRole('link', { name: 'Avtal' }).count(), 0, 'agents get no agreements page');
    await page.getByLabel('Adress, postnummer eller ort').fill('Arboga');
    await page.getByRole('button', { name: 'Sök' }).click();
    await page.getByTestId('picked').getByText('Kartan visar').waitFor();
    const map = page.locator('.small-map');
    const box = (await map.boundingBox())!;
    await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
    await page.getByTestId('picked').getByText('Vald plats').waitFor();
    await page.getByLabel('Vad gäller det?').selectOption('full_bin');
    await page.getByLabel('Adress eller platsbeskrivning').fill('Storgatan 1, Arboga');
    await page.getByLabel('Beskrivning', { exact: true }).fill('Papperskorgen vid torget är överfull, skräp blåser ut på gatan.');
    await page.getByLabel('Namn').fill('Greta Uppringare');
    await page.getByRole('textbox', { name: 'Telefon' }).fill('070-123 45 67');
    await page.getByRole('textbox', { name: 'E-post' }).fill('greta@example.se');
    await checkPage(page, 'staff-02-register');
    await page.getByRole('button', { name: 'Registrera ärende' }).click();
    const result = page.getByTestId('register-result');
    await result.waitFor();
    const text = await result.innerText();
    caseNumber = /([A-ZÅÄÖ]+-\d{4}-\d{5})/.exec(text)?.[1] ?? '';
    assert.ok(caseNumber, `a case number in: ${text}`);
    assert.match(text, /avfallsnämnden|2016\/42/i, 'routed to the joint waste committee');
    await checkPage(page, 'staff-03-registered');
    await context.close();
  });

  test('a second caller about the same bin is offered the open case first and becomes a follower; a question is answered at first contact', async () => {
    const { context, page } = await signedIn('agent@arboga.demo');
    await page.getByLabel('Adress, postnummer eller ort').fill('Arboga');
    await page.getByRole('button', { name: 'Sök' }).click();
    await page.getByTestId('picked').getByText('Kartan visar').waitFor();
    const box = (await page.locator('.small-map').boundingBox())!;
    await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
    await page.getByLabel('Vad gäller det?').selectOption('full_bin');
    const nearby = page.getByTestId('nearby');
    await nearby.getByText(caseNumber).waitFor();
    await page.getByRole('textbox', { name: 'E-post' }).fill('sven@example.se');
    await checkPage(page, 'staff-03b-nearby');
    await nearby.locator('li', { hasText: caseNumber }).getByRole('button', { name: 'Redan anmält – lägg till som följare' }).click();
    await page.getByTestId('register-result').getByText(`följer nu ärende ${caseNumber}`).waitFor();

    await page.getByRole('button', { name: 'Registrera nästa' }).click();
    await page.getByLabel('Adress, postnummer eller ort').fill('732 30');
    await page.getByRole('button', { name: 'Sök' }).click();
    await page.getByTestId('picked').getByText('Kartan visar').waitFor();
    await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
    await page.getByTestId('picked').getByText('Vald plats').waitFor();
    await page.getByLabel('Vad gäller det?').selectOption('full_bin');
    const kb = page.getByTestId('knowledge');
    await kb.locator('summary').first().click();
    await kb.getByRole('button', { name: 'Besvarat vid första kontakten – registrera' }).click();
    await page.getByTestId('register-result').getByText('besvarad vid första kontakten').waitFor();
    await context.close();
  });

  test('a handler at the joint committee finds it in the queue, uses the shortcuts and assigns it to the contractor', async () => {
    const { context, page } = await signedIn('handler@koping.demo');
    await page.getByRole('heading', { name: 'Ärenden', exact: true, level: 1 }).waitFor();
    await page.getByRole('link', { name: caseNumber }).waitFor();
    await page.locator('.leaflet-container').waitFor();
    await checkPage(page, 'staff-04-queue');
    // Keyboard triage: help, move, open.
    await page.keyboard.press('?');
    await page.getByRole('dialog', { name: 'Kortkommandon' }).waitFor();
    await checkPage(page, 'staff-05-shortcuts');
    await page.keyboard.press('Escape');
    await page.keyboard.press('j');
    await page.locator('tr.selected[data-index="1"]').waitFor();
    await page.keyboard.press('k');
    await page.locator('tr.selected[data-index="0"]').waitFor();
    await page.keyboard.press('a');
    await page.getByRole('dialog').getByLabel('Handläggare').waitFor();
    await page.keyboard.press('Escape');
    await page.getByRole('dialog').waitFor({ state: 'detached' });
    // Pressed before the closed dialog's "close" event has come: the status dialog must open all the same.
    await page.keyboard.press('s');
    await page.getByRole('dialog').getByLabel('Ny status').waitFor();
    await page.keyboard.press('Escape');
    await page.getByRole('dialog').waitFor({ state: 'detached' });
    await page.getByLabel('Kategori').first().selectOption('full_bin');
    await page.getByLabel('Spara filtren som').fill('Papperskorgar');
    await page.getByRole('button', { name: 'Spara vy' }).click();
    await page.getByRole('button', { name: 'Papperskorgar', exact: true }).waitFor();
    await page.getByRole('link', { name: caseNumber }).waitFor();
    await page.locator('tr', { hasText: caseNumber }).locator('td').nth(1).click();
    await page.locator('tr.selected').getByRole('link', { name: caseNumber }).waitFor();
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: new RegExp(caseNumber) }).waitFor();
    assert.match(await page.getByTestId('routing').innerText(), /2016\/42|avfallsnämnden/i);
    assert.equal(await page.getByTestId('reporter').count(), 1, 'the handler of the owning body sees the caller');
    await page.getByLabel('Entreprenör', { exact: true }).selectOption({ label: 'Ljusdrift Öresund AB' });
    await page.getByLabel('Instruktion till entreprenören').fill('Töm korgen och kontrollera locket.');
    await page.locator('#action-assign').getByRole('button', { name: 'Spara' }).click();
    await page.locator('.entry.internal', { hasText: 'Arbetsorder till entreprenör' }).waitFor();
    await page.locator('#action-note').getByLabel('Text').fill('Ringde entreprenören, de åker i eftermiddag.');
    await page.locator('#action-note').getByRole('button', { name: 'Spara' }).click();
    await page.locator('.entry.internal', { hasText: 'åker i eftermiddag' }).waitFor();
    await page.getByText('Fler åtgärder').click();
    await page.locator('#forward-to option', { hasText: 'Trafikverket' }).waitFor({ state: 'attached' });
    await checkPage(page, 'staff-06-case');

    // The same person also works for Köping municipality: switching shows that organisation's queue.
    await page.getByTestId('org-switch').selectOption({ label: 'Köpings kommun (handläggare)' });
    await page.getByRole('heading', { name: 'Ärenden', exact: true, level: 1 }).waitFor();
    await page.getByRole('link', { name: caseNumber }).waitFor({ state: 'detached' });
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('heading', { name: 'Cases', exact: true, level: 1 }).waitFor();
    await checkPage(page, 'staff-06b-queue-other-org-en');
    await page.getByRole('button', { name: 'Svenska' }).click();
    await context.close();
  });

  test('a supervisor in Helsingborg pages through a long queue and has the agreements page in the menu', async () => {
    const { context, page } = await signedIn('supervisor@helsingborg.demo');
    await page.getByRole('link', { name: 'Avtal' }).waitFor();
    const rows = page.locator('table.cases tbody tr');
    await page.getByText(/Visar 50 av \d+/).waitFor();
    await page.getByRole('button', { name: 'Visa fler' }).click();
    await page.waitForFunction(() => document.querySelectorAll('table.cases tbody tr').length > 50);
    assert.ok((await rows.count()) > 50);
    await context.close();
  });

  test('two handlers at once: the second gets "changed by X, reload" instead of overwriting', async () => {
    const a = await signedIn('handler@koping.demo');
    const b = await signedIn('handler@koping.demo');
    for (const p of [a.page, b.page]) {
      await p.goto(`${base}/staff/cases/${caseNumber}`);
      await p.locator('#action-priority').waitFor();
    }
    await a.page.locator('#priority-to').selectOption('1');
    await a.page.locator('#action-priority').getByRole('button', { name: 'Spara' }).click();
    await a.page.locator('.entry', { hasText: 'Prioritet' }).first().waitFor();
    await b.page.locator('#priority-to').selectOption('2');
    await b.page.locator('#action-priority').getByRole('button', { name: 'Spara' }).click();
    const alert = b.page.locator('#action-priority').getByRole('alert');
    await alert.waitFor();
    assert.match(await alert.innerText(), /ändrats av Karin Sjöberg/);
    await screenshot(b.page, 'staff-07-conflict');
    await alert.getByRole('button', { name: 'Ladda om ärendet' }).click();
    await b.page.locator('#action-priority').getByRole('alert').waitFor({ state: 'detached' });
    await a.context.close();
    await b.context.close();
  });

  test('the contractor sees only its work orders on a phone and reports done with a note and a photo', async () => {
    const { context, page } = await signedIn('contractor@ljusdrift.demo', { width: 375, height: 812 });
    await page.getByRole('heading', { name: 'Mina arbetsordrar' }).waitFor();
    assert.equal(await page.getByRole('link', { name: 'Ärenden' }).count(), 0, 'no queue for contractors');
    const order = page.getByTestId('work-order').filter({ hasText: caseNumber });
    await order.waitFor();
    await checkPage(page, 'staff-08-contractor');
    const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(scrollWidth <= 375, `no sideways scrolling at 375 px (scrollWidth ${scrollWidth})`);
    await order.getByLabel('Vad gjordes?').fill('Korgen tömd och locket lagat.');
    const photo = await sharp({ create: { width: 64, height: 48, channels: 3, background: '#4a7' } }).jpeg().toBuffer();
    await order.getByLabel('Foto på resultatet').setInputFiles({ name: 'klar.jpg', mimeType: 'image/jpeg', buffer: photo });
    await order.getByRole('button', { name: 'Rapportera klart' }).click();
    await page.getByText(`${caseNumber} är rapporterat som klart`).waitFor();
    await checkPage(page, 'staff-09-contractor-done');
    await context.close();
  });

  test('the handler verifies and closes the case; the public case shows it closed', async () => {
    const { context, page } = await signedIn('handler@koping.demo');
    await page.goto(`${base}/staff/cases/${caseNumber}`);
    await page.locator('.entry', { hasText: 'Entreprenören rapporterar klart' }).waitFor();
    await page.locator('.photos img').first().waitFor();
    await page.locator('#status-to').selectOption('closed');
    await page.locator('#status-note').fill('Papperskorgen är tömd. Tack för att du hörde av dig!');
    await page.locator('#action-status').getByRole('button', { name: 'Spara' }).click();
    await page.locator('.entry.public', { hasText: 'Avslutat' }).waitFor();
    await checkPage(page, 'staff-10-closed');
    await context.close();

    const res = await t.app.inject({ method: 'GET', url: `/api/public/cases/${caseNumber}` });
    assert.equal(res.statusCode, 200, res.body);
    const body = res.json();
    assert.equal(body.status ?? body.case?.status, 'closed');
    assert.doesNotMatch(res.body, /Greta|070-123|åker i eftermiddag/, 'no caller details or internal notes in public');

    const citizen = await browser.newContext({ viewport: { width: 1366, height: 900 }, locale: 'sv-SE' });
    const publicPage = await citizen.newPage();
    await publicPage.goto(`${base}/arende/${caseNumber}`);
    await publicPage.getByText('Avslutat').first().waitFor();
    await publicPage.getByText('Papperskorgen är tömd').waitFor();
    assert.equal(await publicPage.getByText('åker i eftermiddag').count(), 0, 'internal notes stay internal');
    await screenshot(publicPage, 'staff-11-public-case-closed');
    await citizen.close();
  });
});
